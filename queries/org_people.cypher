// name: org_people
// description: People who held posts in an organization (name or alias), each with the posts and the
//   first and last dates attested.
// params: name (str, required)
// columns: name, posts, first_seen, last_seen, person_id
// order: first_seen, name, person_id
MATCH (o:Organization)
WHERE o._names CONTAINS $name_key AND (o.name = $name OR $name IN o.aliases)
MATCH (o)<-[:POST_IN]-(s:Post)<-[h:HELD]-(p:Person)
WITH p, collect(DISTINCT s.name) AS posts, min(h.first_seen) AS first_seen, max(h.last_seen) AS last_seen
RETURN p.name AS name, posts, first_seen, last_seen, p.id AS person_id
ORDER BY first_seen, name, person_id
