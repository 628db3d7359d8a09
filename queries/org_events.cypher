// name: org_events
// description: An organization's events, organized or taken part in; the organization is found by name or alias.
// params: name (str, required), from (date, optional), to (date_end, optional)
// columns: date, end_date, type, label, relation, role, location, organization, event_id
// order: date, event_id, relation, role, organization
MATCH (o:Organization)
WHERE o._names CONTAINS $name_key AND (o.name = $name OR $name IN o.aliases)
MATCH (o)-[r:ORGANIZED|PARTICIPATED_IN]->(e:Event)
WHERE ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
RETURN e.date AS date, e.end_date AS end_date, e.type AS type, e.label AS label,
       type(r) AS relation, r.role AS role, e.location AS location, o.name AS organization,
       e.id AS event_id
ORDER BY date, event_id, relation, role, organization
