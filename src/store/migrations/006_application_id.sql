-- A Wijkkompas database says so in its header, so that the app never mistakes someone else's
-- file for its own (and never writes to one). 0x574B4D50 is "WKMP".
PRAGMA application_id = 1464552784;
