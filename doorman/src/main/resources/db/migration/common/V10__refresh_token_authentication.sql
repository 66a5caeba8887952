-- How the user authenticated for a refresh-token family: copied from the authorization code that started the
-- family and kept by every rotation, so that a refresh issues tokens claiming exactly what that authentication proved
-- (OIDC Core §12.2: a refresh is no new authentication; its auth_time, amr and acr are the original ones).
-- Instants as epoch milliseconds, amr space-separated, as in authorization_codes.
-- Rows from before this migration get NULLs: unknown. A refresh from such a family claims no auth_time, amr or acr,
-- and issues no ID token (which would need auth_time); the user's next login starts a family that knows.
alter table refresh_tokens add column auth_time bigint;
alter table refresh_tokens add column amr varchar(255);
alter table refresh_tokens add column acr varchar(255);
