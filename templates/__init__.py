"""The memo templates (one per format); ``engine/memo/render.py`` renders them."""
