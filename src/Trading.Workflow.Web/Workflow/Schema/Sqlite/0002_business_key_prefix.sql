-- PostgreSQL adds prefix indexes for project codes in this version; SQLite's business-key indexes already serve
-- the range the inbox uses. Kept so both providers share one version number.
SELECT 1;
