from tests.app.conftest import settle


async def test_probe(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        for i, t in enumerate(screen.topics_pane.topics):
            print(i, t.title, t.posts_count)
        idx = next(
            i for i, t in enumerate(screen.topics_pane.topics) if t.title.startswith("How to ask")
        )
        screen.topics_pane.highlighted = idx
        screen.topics_pane.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: screen.reader.selected_post is not None)
        await pilot.press("t")
        await pilot.pause(0.3)
        app.save_screenshot("/tmp/tt/tree.svg")
        print(
            [
                (screen.reader._rows[p].head, screen.reader._posts[p].number)
                for p in screen.reader._ids
            ]
        )
        await pilot.press("k", "k", "k", "p")
        await pilot.pause(0.1)
        print("after p", screen.reader.selected_post.number)
