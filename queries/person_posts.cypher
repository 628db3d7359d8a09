// name: person_posts
// description: A person's posts over time: each post with the first and last dates articles attest it.
// params: name (str, required)
// columns: post, organization, rank, first_seen, last_seen, post_id
// order: first_seen, last_seen, post, post_id
MATCH (p:Person)
WHERE p._names CONTAINS $name_key AND (p.name = $name OR $name IN p.aliases)
MATCH (p)-[h:HELD]->(s:Post)
RETURN s.name AS post, s.organization AS organization, s.title AS rank,
       h.first_seen AS first_seen, h.last_seen AS last_seen, s.id AS post_id
ORDER BY first_seen, last_seen, post, post_id
