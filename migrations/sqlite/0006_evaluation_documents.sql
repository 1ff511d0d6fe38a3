-- Each evaluation's JSON as the list serves it (id and episodes left out), written with the row,
-- so a page of 100 is read as 100 ready documents instead of 3 100 columns. Rows written before
-- this migration keep NULL and are built from their columns when listed.
ALTER TABLE evaluations ADD COLUMN record_json TEXT;
