"""New files arrive by themselves: watched folders, a plugged-in Garmin watch, import history.

:mod:`.state` keeps the folder list, what each pass has read and the import history in the
store; :mod:`.devices` finds a connected watch; :mod:`.complete` tells a finished file from one
still being written; :mod:`.passes` imports what is new in a folder; :mod:`.watcher` runs
passes whenever files change (file-system events, with polling where events do not arrive).
"""
