// name: place_events
// description: Events that took place at a place, in date order.
// params: name (str, required), from (date, optional), to (date_end, optional)
// columns: date, end_date, type, label, place, event_id
// order: date, event_id, place
MATCH (pl:Place)
WHERE pl._names CONTAINS $name_key AND (pl.name = $name OR $name IN pl.aliases)
MATCH (e:Event)-[:OCCURRED_IN]->(pl)
WHERE ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
RETURN e.date AS date, e.end_date AS end_date, e.type AS type, e.label AS label,
       pl.name AS place, e.id AS event_id
ORDER BY date, event_id, place
