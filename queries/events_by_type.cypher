// name: events_by_type
// description: Events in a date range, of one type or of all, with how many people took part.
// params: type (str, optional), from (date, optional), to (date_end, optional)
// columns: date, end_date, type, label, location, people, event_id
// order: date, event_id
MATCH (e:Event)
WHERE ($type IS NULL OR e.type = $type)
  AND ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
RETURN e.date AS date, e.end_date AS end_date, e.type AS type, e.label AS label,
       e.location AS location,
       COUNT { MATCH (p:Person)-[:PARTICIPATED_IN]->(e) RETURN DISTINCT p } AS people,
       e.id AS event_id
ORDER BY date, event_id
