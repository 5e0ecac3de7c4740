"""`drafter serve`: drafting and checking in the browser, on a local web page (app.py), through the same answers
model, validators and plugins as `drafter new` (drafting.py)."""
