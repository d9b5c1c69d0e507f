-- The project's supervising department (行政监督部门), optional: its name and, when known, its unified social credit
-- code. The expert draw avoids that department's staff; a project without one avoids every supervising department's.
ALTER TABLE "tr_projects" ADD COLUMN "supervising_department_name" text NULL;
ALTER TABLE "tr_projects" ADD COLUMN "supervising_department_credit_code" text NULL;
