"""Apple Health exports: the Health app's ``export.zip`` (Apple Watch workouts and wellness).

``export.zip`` holds ``apple_health_export/export.xml`` (often 0.5-5 GB), ``export_cda.xml``
and ``workout-routes/route_*.gpx``. ``export.xml`` lists ``Record`` elements (heart rate,
running metrics, steps, resting heart rate, HRV, sleep ...) and then the ``Workout``
elements, which point to their route files. Modules, in the order data flows:

:mod:`.export`          find the export, one pass over ``export.xml``, cut it into pieces
:mod:`.xmlstream`       the streaming expat parser (entities refused)
:mod:`.export_pass`     what each element of the pass becomes
:mod:`.spool`           the temporary SQLite file that keeps memory bounded
:mod:`.values`          dates, units and record types
:mod:`.pieces`          the bytes of one workout or of the wellness, imported like files
:mod:`.workouts`        a workout piece -> activities (:mod:`.activity_types`, :mod:`.samples`)
:mod:`.wellness`        resting heart rate, HRV (SDNN) and sleep -> a ``WellnessBatch``
"""
