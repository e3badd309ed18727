"""Italian seed topics of the demo forum (testi originali scritti per termforum)."""

from __future__ import annotations

from termforum.demo.content import TopicSpec, p

__all__ = ["TOPICS"]

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "comunita-italiana",
        "Benvenuti nella comunità italiana",
        (
            p(
                "giulia",
                """
                Ciao a tutti e benvenuti! :it:

                Questo è lo spazio in italiano di **Working Groups**. Parliamo degli stessi
                temi del resto del forum: come farsi conoscere per il proprio lavoro, come
                trovare risposte, come chiedere aiuto bene e come comportarsi nei gruppi.

                Due sottocategorie:

                - *Domande e risposte*, per le domande pratiche;
                - *Strumenti e terminale*, per client, script ed editor.

                Presentatevi pure nella discussione delle presentazioni. :wave:
                """,
                likes=9,
            ),
            p(
                "fede",
                """
                Finalmente uno spazio in italiano! Grazie @giulia.
                """,
            ),
            p(
                "luca.b",
                """
                Ottimo, così posso fare domande senza passare dal traduttore. :sweat_smile:
                """,
            ),
        ),
        tags=("benvenuto", "meta"),
        lang="it",
        days_ago=350,
    ),
    TopicSpec(
        "comunita-italiana",
        "Come farsi conoscere in una community professionale",
        (
            p(
                "fede",
                """
                Lavoro come consulente e molti clienti arrivano dalle community online. Mi
                chiedono spesso come si fa a "farsi notare". La mia risposta breve: non
                cercate di farvi notare, cercate di essere utili nello stesso posto per molto
                tempo.
                """,
                likes=10,
            ),
            p(
                "luca.b",
                """
                Ma se sono ancora studente, cosa posso offrire di utile?
                """,
            ),
            p(
                "fede",
                """
                Moltissimo: riassunti delle discussioni lunghe, domande fatte bene, e risposte
                su quello che stai studiando in questo momento. Chi impara ricorda bene i
                dubbi dei principianti, e gli esperti li hanno dimenticati.
                """,
                reply_to=2,
                likes=7,
            ),
            p(
                "marco_dev",
                """
                [quote="fede, post:3, topic:%TOPIC%"]
                Chi impara ricorda bene i dubbi dei principianti
                [/quote]

                Verissimo. Le migliori guide per principianti che conosco le hanno scritte
                persone al secondo anno di lavoro.
                """,
                reply_to=3,
                likes=5,
            ),
            p(
                "bea",
                """
                Aggiungo: usate il vostro nome vero nel profilo, se potete. La fiducia si
                costruisce con le persone, non con i nickname.
                """,
            ),
            p(
                "giulia",
                """
                E scrivete bene i titoli. Un buon titolo è il biglietto da visita di un
                messaggio.
                """,
                likes=4,
            ),
        ),
        tags=("visibilita", "reputazione"),
        lang="it",
    ),
    TopicSpec(
        "comunita-italiana",
        "Trovare risposte: forum, chat o documentazione?",
        (
            p(
                "bea",
                """
                Quando avete un problema, da dove partite? Io di solito dalla chat del team, ma
                spesso la stessa domanda è già stata fatta e nessuno se ne ricorda.
                """,
            ),
            p(
                "marco_dev",
                """
                Io seguo quest'ordine:

                1. documentazione ufficiale;
                2. ricerca nel forum, con il messaggio di errore esatto;
                3. solo dopo, una domanda nuova.

                La chat la uso per le cose urgenti, non per le risposte che devono durare.
                """,
                likes=8,
            ),
            p(
                "fede",
                """
                La chat è ottima per l'immediato e pessima per la memoria. Nel forum invece le
                risposte restano e si ritrovano.
                """,
                likes=5,
            ),
            p(
                "luca.b",
                """
                E quando la documentazione e il forum dicono cose diverse?
                """,
            ),
            p(
                "marco_dev",
                """
                Guarda le date e le versioni. Spesso sono vere entrambe, per versioni diverse.
                Se trovi una risposta superata, segnalalo nella discussione: aiuti chi arriva
                dopo.
                """,
                reply_to=4,
                likes=4,
            ),
        ),
        tags=("ricerca", "chat", "documentazione"),
        lang="it",
    ),
    TopicSpec(
        "comunita-italiana",
        "Presentazioni: chi siete e di cosa vi occupate?",
        (
            p(
                "giulia",
                """
                Inizio io: Giulia, ex sistemista, ora mi occupo di community. Milano. Amo i
                terminali e le discussioni ben scritte.
                """,
            ),
            p(
                "marco_dev",
                """
                Marco, sviluppatore backend a Bologna. Passo la giornata nel terminale.
                """,
            ),
            p(
                "fede",
                """
                Federica, consulente. Scrivo di lavoro da remoto e di come funzionano le
                community professionali.
                """,
            ),
            p(
                "luca.b",
                """
                Luca, studente di informatica a Torino. Sono qui per imparare (e per fare
                domande, temo). :slight_smile:
                """,
            ),
            p(
                "bea",
                """
                Beatrice, ricercatrice UX a Napoli. Mi interessa come le persone cercano
                informazioni.
                """,
            ),
            p(
                "elena",
                """
                Elena, redattrice tecnica e moderatrice qui. Se vedete qualcosa che non va,
                scrivetemi pure in privato.
                """,
            ),
            p(
                "giulia",
                """
                Benvenuti tutti! :tada:
                """,
            ),
        ),
        tags=("presentazioni",),
        lang="it",
        padding=False,
    ),
    TopicSpec(
        "domande-risposte",
        "Come formulare una domanda tecnica chiara",
        (
            p(
                "elena",
                """
                Una domanda chiara ha quattro parti:

                1. **Obiettivo**: cosa state cercando di fare.
                2. **Tentativi**: cosa avete già provato, con i comandi esatti.
                3. **Risultato atteso** e **risultato ottenuto**.
                4. **Contesto**: sistema operativo, versioni, vincoli.

                E un titolo che descriva il problema, non il vostro stato d'animo. "Aiuto!!!"
                non aiuta nessuno. :slight_smile:
                """,
                likes=12,
            ),
            p(
                "luca.b",
                """
                Devo mettere anche i log completi?
                """,
            ),
            p(
                "elena",
                """
                Solo il primo errore e le righe prima, in un blocco di codice. Il resto,
                eventualmente, dentro un blocco richiudibile:

                [details="Log completo"]
                ```
                ERRORE: connessione rifiutata (127.0.0.1:5432)
                suggerimento: il server è in esecuzione?
                ```
                [/details]
                """,
                reply_to=2,
                likes=5,
            ),
            p(
                "bea",
                """
                Utilissimo il blocco richiudibile, non lo conoscevo.
                """,
            ),
            p(
                "fede",
                """
                Io aggiungerei: dite anche **perché** vi serve. A volte c'è una strada più
                semplice che non avete considerato.
                """,
                likes=4,
            ),
        ),
        tags=("domande", "guida"),
        lang="it",
    ),
    TopicSpec(
        "domande-risposte",
        "Citare correttamente un altro utente",
        (
            p(
                "luca.b",
                """
                Come si cita un messaggio di un altro utente? Copio e incollo il testo?
                """,
            ),
            p(
                "giulia",
                """
                Seleziona il testo nel messaggio e usa il pulsante "Cita": il forum crea un
                blocco di citazione con il nome dell'autore e il collegamento al messaggio
                originale. Il risultato è così:

                [quote="luca.b, post:1, topic:%TOPIC%"]
                Come si cita un messaggio di un altro utente?
                [/quote]

                Citate solo la frase a cui rispondete, non tutto il messaggio.
                """,
                reply_to=1,
                likes=6,
            ),
            p(
                "luca.b",
                """
                Perfetto, grazie! E per menzionare qualcuno basta la chiocciola, giusto? Tipo
                @giulia?
                """,
            ),
            p(
                "giulia",
                """
                Esatto. La persona riceve una notifica, quindi usatela quando serve davvero. :+1:
                """,
                reply_to=3,
            ),
        ),
        tags=("citazioni", "menzioni"),
        lang="it",
    ),
    TopicSpec(
        "domande-risposte",
        "Ho ricevuto una risposta scortese: come reagire?",
        (
            p(
                "bea",
                """
                Ho fatto una domanda in un altro gruppo e la prima risposta è stata
                "basta cercare su internet". Un po' ci sono rimasta male. Come reagite in questi
                casi?
                """,
            ),
            p(
                "elena",
                """
                Non rispondete a tono. Ringraziate, spiegate cosa avete già cercato e andate
                avanti. Di solito arriva qualcuno più gentile, e chi legge nota la differenza.
                """,
                likes=9,
            ),
            p(
                "fede",
                """
                E se la risposta scortese contiene comunque un'informazione utile, prendetela.
                Il tono è un problema loro.
                """,
                likes=5,
            ),
            p(
                "giulia",
                """
                Se invece si tratta di insulti, segnalate il messaggio ai moderatori. Qui
                non li tolleriamo.
                """,
                likes=6,
            ),
            p(
                "bea",
                """
                Grazie, mi sento meglio. Alla fine ho trovato la risposta grazie a un altro
                utente.
                """,
            ),
        ),
        tags=("galateo", "conflitti"),
        lang="it",
    ),
    TopicSpec(
        "strumenti",
        "Leggere i forum da terminale con tmux",
        (
            p(
                "marco_dev",
                """
                La mia configurazione per seguire i gruppi senza browser:

                ```bash
                tmux new-session -d -s forum 'termforum --demo'
                tmux split-window -v -l 30% 'tail -f ~/note/forum.md'
                tmux attach -t forum
                ```

                In alto il client, in basso le note. Tutto da tastiera.
                """,
                likes=6,
            ),
            p(
                "luca.b",
                """
                Funziona anche via SSH?
                """,
            ),
            p(
                "marco_dev",
                """
                Sì, ed è proprio il bello: la sessione resta aperta sul server e la ritrovi
                quando ti ricolleghi.
                """,
                reply_to=2,
                likes=3,
            ),
            p(
                "giulia",
                """
                Consiglio: impostate `set -g mouse on` nel `.tmux.conf` se volete anche
                scorrere con la rotellina.
                """,
            ),
        ),
        tags=("tmux", "terminale"),
        lang="it",
    ),
    TopicSpec(
        "strumenti",
        "Script per scaricare le discussioni in JSON",
        (
            p(
                "luca.b",
                """
                Vorrei salvare alcune discussioni in locale per leggerle offline. Si può fare
                con un piccolo script?
                """,
            ),
            p(
                "marco_dev",
                """
                Sì, con l'API JSON. Uno scheletro in Python:

                ```python
                import json
                import time

                from httpx import Client

                BASE = "http://127.0.0.1:4200"

                with Client(base_url=BASE, timeout=10) as client:
                    topic = client.get("/t/42.json").raise_for_status().json()
                    ids = topic["post_stream"]["stream"]
                    posts = topic["post_stream"]["posts"]
                    loaded = {p["id"] for p in posts}
                    missing = [i for i in ids if i not in loaded]
                    for start in range(0, len(missing), 20):
                        chunk = missing[start : start + 20]
                        params = [("post_ids[]", i) for i in chunk]
                        more = client.get("/t/42/posts.json", params=params).json()
                        posts += more["post_stream"]["posts"]
                        time.sleep(1)  # gentile con il server

                with open("topic-42.json", "w") as f:
                    json.dump(posts, f, ensure_ascii=False, indent=2)
                ```
                """,
                likes=8,
            ),
            p(
                "luca.b",
                """
                Perché a blocchi di 20?
                """,
            ),
            p(
                "marco_dev",
                """
                Perché la prima risposta contiene già i primi 20 messaggi, e blocchi piccoli
                restano sotto i limiti di frequenza. Nelle discussioni enormi, però, `stream`
                non c'è: lì si procede con `post_number` e `asc=true`.
                """,
                reply_to=3,
                likes=4,
            ),
            p(
                "giulia",
                """
                Ottimo esempio. Ricordate di rispettare l'header `Retry-After` se ricevete un
                429. :wink:
                """,
            ),
        ),
        tags=("api", "python", "offline"),
        lang="it",
    ),
    TopicSpec(
        "strumenti",
        "Editor preferito per scrivere post lunghi?",
        (
            p(
                "fede",
                """
                Per i post lunghi uso sempre un editor esterno. Voi quale preferite?

                [poll type=regular]
                * Vim / Neovim
                * Emacs
                * VS Code
                * Nano
                * La casella di testo del forum
                [/poll]
                """,
            ),
            p(
                "marco_dev",
                """
                Neovim, ovviamente. Con il controllo ortografico in italiano attivo.
                """,
            ),
            p(
                "bea",
                """
                Io VS Code, ma solo perché ce l'ho sempre aperto.
                """,
            ),
            p(
                "luca.b",
                """
                Nano, e non me ne vergogno. :sweat_smile:
                """,
                likes=7,
            ),
            p(
                "giulia",
                """
                L'importante è che la bozza sia salvata su disco. Il resto è gusto personale.
                """,
                likes=3,
            ),
        ),
        tags=("editor", "sondaggio"),
        lang="it",
        recent=True,
    ),
    TopicSpec(
        "trends",
        "Tendenze: le community professionali italiane nell'ultimo anno",
        (
            p(
                "fede",
                """
                Nell'ultimo anno ho visto tre cose nelle community italiane che seguo:

                - più forum e meno gruppi chiusi sui social;
                - più contenuti in italiano scritti bene, non solo traduzioni;
                - eventi dal vivo piccoli, organizzati a partire dalle discussioni online.
                """,
                likes=7,
            ),
            p(
                "giulia",
                """
                Confermo il terzo punto. I meetup nati da una discussione sul forum hanno un
                pubblico molto più motivato.
                """,
            ),
            p(
                "bea",
                """
                Sul secondo punto: finalmente! Per anni la documentazione in italiano è stata
                solo tradotta male.
                """,
                likes=4,
            ),
            p(
                "marco_dev",
                """
                Aggiungerei una quarta: più attenzione all'accessibilità, anche nei forum.
                """,
            ),
        ),
        tags=("tendenze", "community"),
        lang="it",
    ),
    TopicSpec(
        "etiquette",
        "Galateo: rispondere in ritardo a una discussione vecchia",
        (
            p(
                "luca.b",
                """
                Ho trovato una discussione di due anni fa con lo stesso mio problema, ma senza
                soluzione. Posso rispondere lì o è maleducazione?
                """,
            ),
            p(
                "elena",
                """
                Se aggiungi informazioni nuove, rispondi pure lì: chi troverà la discussione in
                futuro ti ringrazierà. Se è solo "anche io", meglio un like.
                """,
                likes=6,
            ),
            p(
                "fede",
                """
                E se la discussione è chiusa, aprine una nuova e metti il collegamento a quella
                vecchia.
                """,
            ),
        ),
        tags=("galateo", "discussioni-vecchie"),
        lang="it",
    ),
    TopicSpec(
        "asking-for-help",
        "Chiedere aiuto in inglese quando non lo si parla bene",
        (
            p(
                "luca.b",
                """
                Nei gruppi internazionali non scrivo quasi mai perché il mio inglese non è
                perfetto. Consigli?
                """,
            ),
            p(
                "kwame",
                """
                (Replying in English, hope that's OK!) Nobody minds imperfect English. Short
                sentences, code blocks and exact error messages matter much more than grammar.
                """,
                likes=8,
            ),
            p(
                "fede",
                """
                Confermo. E puoi scrivere la domanda in italiano e poi tradurla con uno
                strumento automatico: basta rileggerla.
                """,
            ),
            p(
                "luca.b",
                """
                Thank you both! Proverò al prossimo problema. :slight_smile:
                """,
            ),
        ),
        tags=("lingua", "domande"),
        lang="it",
    ),
    TopicSpec(
        "visibility-reputation",
        "Scrivere in pubblico senza paura di sbagliare",
        (
            p(
                "bea",
                """
                Vorrei scrivere dei piccoli articoli sul mio lavoro, ma ho paura di dire cose
                sbagliate davanti a tutti.
                """,
            ),
            p(
                "elena",
                """
                Dichiara il contesto e il livello di sicurezza: "nella mia esperienza",
                "testato solo su questo caso". Nessuno si aspetta la verità assoluta, tutti
                apprezzano l'onestà.
                """,
                likes=7,
            ),
            p(
                "giulia",
                """
                E quando qualcuno ti corregge, ringrazia e aggiorna il testo. È così che si
                costruisce la reputazione, non evitando gli errori.
                """,
                likes=5,
            ),
            p(
                "bea",
                """
                Ok, il primo articolo esce la settimana prossima. Vi metto il link qui. :memo:

                https://example.org/blog/scrivere-in-pubblico-primo-articolo
                """,
            ),
        ),
        tags=("scrittura", "reputazione"),
        lang="it",
    ),
    TopicSpec(
        "finding-answers",
        "Cercare nei forum con gli operatori di ricerca",
        (
            p(
                "marco_dev",
                """
                Piccolo promemoria degli operatori di ricerca che uso di più:

                - `in:title` cerca solo nei titoli;
                - `@nome` limita ai messaggi di un utente;
                - `order:latest` mette prima i più recenti;
                - `#categoria` limita a una categoria.

                Esempio: `tmux in:title order:latest`.
                """,
                likes=6,
            ),
            p(
                "luca.b",
                """
                Non sapevo di `in:title`, grazie!
                """,
            ),
            p(
                "bea",
                """
                Funzionano anche da API? Vorrei usarli in uno script.
                """,
            ),
            p(
                "marco_dev",
                """
                Sì: `GET /search.json?q=tmux%20in:title`. La query va tutta nel parametro `q`.
                """,
                reply_to=3,
                likes=3,
            ),
        ),
        tags=("ricerca", "operatori"),
        lang="it",
    ),
)
