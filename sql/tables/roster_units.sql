-- The units a supervising office oversees, as its roster lists them: which units are expected to publish an
-- annual report, to whom they answer and how they are grouped. An import replaces the whole roster; ingest
-- never touches it. level and type are keys of analytics.state.LEVELS and TYPES.
create table if not exists roster_units (
    unit varchar not null,
    parent varchar,  -- the body the unit answers to (a government for its departments and office)
    level varchar not null,  -- province | city | county | township | national
    type varchar not null,  -- government | office | department
    peer_group varchar not null,  -- as the roster names it; level/type when the roster leaves it blank
    position integer not null,  -- order in the roster file
    source varchar not null,  -- file name the roster came from
    source_row varchar,  -- where the unit stood in that file ("第5行", "工作表“名册”第5行")
    imported_at timestamp not null
);
