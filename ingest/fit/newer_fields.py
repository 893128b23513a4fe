"""Record fields newer than fitparse 1.2.0's FIT profile, added to it on import.

fitparse 1.2.0 (2018) predates the respiration-rate fields Garmin writes since about 2020
(watches with wrist respiration, HRM-Pro straps). Both decoders read fields through fitparse's
profile (:data:`fitparse.profile.MESSAGE_TYPES`), so they are declared there once, with the
numbers, types and scales of the FIT SDK profile (garmin-fit-sdk 21.x):

* ``record.respiration_rate`` (99): uint8 [breaths/min], whose component is
  ``enhanced_respiration_rate`` (scale 1);
* ``record.enhanced_respiration_rate`` (108): uint16, scale 100 [breaths/min].

A field the profile already knows is left as it is (a newer fitparse keeps its own).
"""

from __future__ import annotations

from fitparse.profile import MESSAGE_TYPES
from fitparse.records import BASE_TYPES, ComponentField, Field

RECORD = 20
ENHANCED_RESPIRATION_RATE = 108
RESPIRATION_RATE = 99


def _register() -> None:
    fields = MESSAGE_TYPES[RECORD].fields
    if ENHANCED_RESPIRATION_RATE not in fields:
        fields[ENHANCED_RESPIRATION_RATE] = Field(
            name="enhanced_respiration_rate", type=BASE_TYPES[0x84],
            def_num=ENHANCED_RESPIRATION_RATE, scale=100, units="breaths/min")
    if RESPIRATION_RATE not in fields:
        component = ComponentField(
            name="enhanced_respiration_rate", def_num=ENHANCED_RESPIRATION_RATE, scale=1,
            offset=0, units="breaths/min", accumulate=False, bits=8, bit_offset=0)
        fields[RESPIRATION_RATE] = Field(
            name="respiration_rate", type=BASE_TYPES[0x02], def_num=RESPIRATION_RATE,
            units="breaths/min", components=(component,))


_register()
