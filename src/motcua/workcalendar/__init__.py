"""Legal working time: days off, office hours and deadline arithmetic (DOMAIN.md §6).

``calendar`` and ``deadlines`` are pure functions over a ``WorkingCalendar``;
``selectors.load_calendar`` builds one from the administrator-editable tables.
"""
