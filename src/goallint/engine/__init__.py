"""The rule engine: YAML rules (rules/<family>/*.yaml) and Python checks over typed targets.

ruleset = load_rules([extra folders])      # lexicons, plugins, rule files; once per run
engine = Engine(ruleset, settings)          # the rules a configuration selects
findings = engine.check(document)           # list[model.Finding], ordered
"""
