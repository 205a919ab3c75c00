"""The ``intact`` console command: Django's management commands plus Intact's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intact.settings.dev")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # "intact audit verify" reads better than "intact audit_verify": allow both.
    if len(argv) >= 3 and argv[1] in {"audit", "keys", "report"} and not argv[2].startswith("-"):
        argv = [argv[0], f"{argv[1]}_{argv[2]}", *argv[3:]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
