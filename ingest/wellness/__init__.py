"""Recovery signals from watches, phones and by hand: resting heart rate, HRV and sleep.

Readers (:mod:`.garmin_json`, :mod:`.fit_wellness`, :mod:`.checkin`) return a
:class:`~ingest.wellness.records.WellnessBatch`; :func:`ingest.wellness.store.add_batch` stores
it, one row per day and source. A new reader (e.g. Apple Health's ``export.xml``) returns a
batch too - days with values, nights with asleep intervals - and needs nothing else.
"""
