"""The reasoning graph: which facts led through which rules to which conclusions
(``model``), its layout, and its writers (SVG, DOT, Mermaid)."""
