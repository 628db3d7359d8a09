// name: person_timeline
// description: An official's events in date order, with the role and the title written at each.
// params: name (str, required), from (date, optional), to (date_end, optional)
// columns: date, end_date, type, label, role, title, location, event_id
// order: date, event_id, role, title
MATCH (p:Person)
WHERE p._names CONTAINS $name_key AND (p.name = $name OR $name IN p.aliases)
MATCH (p)-[r:PARTICIPATED_IN]->(e:Event)
WHERE ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
RETURN e.date AS date, e.end_date AS end_date, e.type AS type, e.label AS label,
       r.role AS role, r.title AS title, e.location AS location, e.id AS event_id
ORDER BY date, event_id, role, title
