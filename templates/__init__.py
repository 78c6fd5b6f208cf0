"""The memo templates (one per format); engine/render.py renders them."""
