-- Jobs created before 0003 got gpus = 0 and cpus = 1; take the real figures (per node × nodes) from
-- their experiment's resolved spec, so GPU-hours of jobs that span the upgrade are charged correctly.
UPDATE jobs SET
  gpus = coalesce((e.resolved_spec #>> '{spec,backend,resources,gpus}')::int, 0)
         * coalesce((e.resolved_spec #>> '{spec,backend,resources,nodes}')::int, 1),
  cpus = coalesce((e.resolved_spec #>> '{spec,backend,resources,cpus}')::float8, 1)
         * coalesce((e.resolved_spec #>> '{spec,backend,resources,nodes}')::int, 1)
FROM arms a JOIN experiments e ON e.id = a.experiment_id
WHERE jobs.arm_id = a.id;
