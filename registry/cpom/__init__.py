"""CPOM follow-up (L6114-1; the ARS Île-de-France's « lien ville-hôpital » sheet): the catalogue of
engagements, the CPOM of an establishment with the engagements chosen from it, the yearly declarations with their
proofs and the ARS's review, and the assessment of each engagement and year."""
