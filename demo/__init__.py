"""The demo generator: platform-style exports of plausible months, built from the data in resources/demo.

It sits above the importers (the demo is imported through them, as a user's export is) and below the UI
(the first start offers it). Nothing in the core imports it.
"""
