"""The policy packs shipped with mist-check: YAML data only (read with importlib.resources)."""
