# -*- coding: utf-8 -*-
"""NCP API simulator for the ncp.clouddb tests.

One idea per module: signing (the gateway signature), gateway (gateway errors and the auth check),
render (JSON/XML bodies), catalogue (the three database APIs as data), clock, scenario (YAML
loading), world (state), scheduler (delayed completions), objectstore (moto S3), faults, reqlog,
actions (generic handlers), rows (response rows), control (the /_sim/ API), server (HTTP).
docs/simulator.md tells how to use it; docs/api-facts.md what it is based on.
"""
