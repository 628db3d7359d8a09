// name: event_attendees
// description: Who took part in an event (people and organizations), found by event id or by a label
//   substring and a date (a day, month or year the event overlaps).
// params: event_id (str, optional), label (str, optional), date (period, optional)
// one_of: event_id, label
// columns: event_id, date, label, kind, name, role, title, participant_id
// order: date, event_id, kind desc, name, role, participant_id
//
// The event comes from the id's unique index, or else from the text index on its label (one branch each:
// a single `$event_id IS NULL OR e.id = $event_id` would make the planner scan every Event).
CALL () {
  MATCH (e:Event {id: $event_id})
  RETURN e
  UNION
  MATCH (e:Event)
  WHERE $event_id IS NULL AND e.label CONTAINS $label
  RETURN e
}
WITH e
WHERE ($label IS NULL OR e.label CONTAINS $label)
  AND ($date IS NULL OR (left(e.start, size($date)) <= $date AND left(e.end, size($date)) >= $date))
MATCH (x)-[r:PARTICIPATED_IN|ORGANIZED]->(e)
WHERE x:Person OR x:Organization
RETURN e.id AS event_id, e.date AS date, e.label AS label,
       CASE WHEN x:Person THEN 'Person' ELSE 'Organization' END AS kind,
       x.name AS name,
       CASE type(r) WHEN 'ORGANIZED' THEN 'organizer' ELSE r.role END AS role,
       r.title AS title, x.id AS participant_id
ORDER BY date, event_id, kind DESC, name, role, participant_id
