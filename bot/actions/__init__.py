"""Custom actions for the navigator's Rasa bot, split by feature.

Every fact the bot states comes from the api (the engine and the knowledge
base); the actions only collect, ask and render.
"""
