"""Reasoning: from a validated case to the advice.

The case's facts are declared into the inference engine (the rules of
``perencana.rules``); the advisor builds the advice from what the run concluded and
searches the unknown answers that would change it. Everything here is plain data
holding structured fact references: nothing is worded here.
"""
