"""The ``spa-desk`` command line (SPEC 10), one module per command group.

:mod:`spa_desk.cli.main` builds the parser from each group's ``add_commands`` and runs the chosen
command; :mod:`spa_desk.cli.arguments` holds what every group shares (argument types, exit
statuses, writing an output file safely) and :mod:`spa_desk.cli.options` the settings and database
every command and the desk start from. Groups never import each other.
"""
