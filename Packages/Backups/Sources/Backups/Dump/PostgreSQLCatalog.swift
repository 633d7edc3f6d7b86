/// The catalog queries of a PostgreSQL dump. Every DDL text comes from the server's own functions
/// (`pg_get_functiondef`, `pg_get_viewdef`, `pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_triggerdef`,
/// `pg_get_expr`, `format_type`), run with an empty `search_path` so every name comes out schema-qualified.
enum PostgreSQLCatalog {
    /// Schemas of the user's objects.
    static let userSchema = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"

    /// True when the object belongs to an extension (the extension recreates it).
    static func notExtensionMember(_ catalog: String, _ oid: String) -> String {
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = '\(catalog)'::pg_catalog.regclass AND dep.objid = \(oid) AND dep.deptype = 'e')"
    }

    static let qualifiedClass = "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)"
    static let qualifiedType = "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname)"

    static let schemas = """
        SELECT 'CREATE SCHEMA IF NOT EXISTS ' || pg_catalog.quote_ident(n.nspname)
        FROM pg_catalog.pg_namespace n WHERE \(userSchema) AND \(notExtensionMember("pg_catalog.pg_namespace", "n.oid"))
        ORDER BY n.oid
        """

    static let extensions = """
        SELECT 'CREATE EXTENSION IF NOT EXISTS ' || pg_catalog.quote_ident(e.extname) || ' WITH SCHEMA ' || pg_catalog.quote_ident(n.nspname)
        FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname <> 'plpgsql' ORDER BY e.oid
        """

    /// Enums, composite types, ranges and domains, in creation (OID) order.
    static let types = """
        SELECT t.oid, CASE t.typtype
          WHEN 'e' THEN 'CREATE TYPE ' || \(qualifiedType) || ' AS ENUM (' || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
          WHEN 'c' THEN 'CREATE TYPE ' || \(qualifiedType) || ' AS (' || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
          WHEN 'r' THEN 'CREATE TYPE ' || \(qualifiedType) || ' AS RANGE (SUBTYPE = ' || (SELECT pg_catalog.format_type(r.rngsubtype, NULL) FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid) || ')'
          ELSE 'CREATE DOMAIN ' || \(qualifiedType) || ' AS ' || pg_catalog.format_type(t.typbasetype, t.typtypmod)
            || CASE WHEN t.typdefaultbin IS NOT NULL THEN ' DEFAULT ' || pg_catalog.pg_get_expr(t.typdefaultbin, 0) ELSE '' END
            || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
            || COALESCE((SELECT pg_catalog.string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid), '' ORDER BY k.oid) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid), '')
          END
        FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE \(userSchema) AND \(notExtensionMember("pg_catalog.pg_type", "t.oid"))
          AND (t.typtype IN ('e', 'r', 'd') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))
        ORDER BY t.oid
        """

    /// Sequences that are not an identity column's own, with their current value.
    static let sequences = """
        SELECT \(qualifiedClass),
          'CREATE SEQUENCE ' || \(qualifiedClass) || ' AS ' || pg_catalog.format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement
            || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache
            || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'i')
        ORDER BY c.oid
        """

    /// `ALTER SEQUENCE ... OWNED BY` for sequences owned by a column (serial columns).
    static let sequenceOwners = """
        SELECT 'ALTER SEQUENCE ' || \(qualifiedClass) || ' OWNED BY ' || pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.relname) || '.' || pg_catalog.quote_ident(a.attname)
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
        JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.deptype = 'a' AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
        ORDER BY c.oid
        """

    /// Identity columns: table, column, and the qualified name of their sequence.
    static let identitySequences = """
        SELECT \(qualifiedClass), a.attname, pg_catalog.pg_get_serial_sequence(\(qualifiedClass), a.attname)
        FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE a.attidentity <> '' AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND \(userSchema)
          AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
        ORDER BY c.oid, a.attnum
        """

    /// Functions and procedures with their full definition.
    static let functions = """
        SELECT p.oid, pg_catalog.pg_get_functiondef(p.oid)
        FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prokind IN ('f', 'p') AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_proc", "p.oid"))
        """

    /// Plain aggregates, rebuilt from `pg_aggregate`.
    static let aggregates = """
        SELECT p.oid, 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
          || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') (SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text
          || ', STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL)
          || CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc::text ELSE '' END
          || CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc::text ELSE '' END
          || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || pg_catalog.quote_literal(a.agginitval) ELSE '' END || ')'
        FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prokind = 'a' AND a.aggkind = 'n' AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_proc", "p.oid"))
        """

    /// Tables (plain, partitioned, partitions), views and materialized views.
    static let relations = """
        SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.relispartition,
          CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
          CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
          (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname), ', ' ORDER BY i.inhseqno)
             FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
             WHERE i.inhrelid = c.oid),
          CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END,
          CASE WHEN c.reloptions IS NOT NULL THEN pg_catalog.array_to_string(c.reloptions, ', ') END,
          c.relispopulated,
          (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY pg_catalog.array_position(x.indkey::int2[], a.attnum))
             FROM pg_catalog.pg_index x JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey::int2[])
             WHERE x.indrelid = c.oid AND x.indisprimary),
          c.relpages
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm') AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
        ORDER BY c.oid
        """

    /// Columns of every user table.
    static let columns = """
        SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
          pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attislocal,
          CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation THEN
            (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND \(userSchema)
        ORDER BY a.attrelid, a.attnum
        """

    /// Table constraints; foreign keys last. Constraints inherited from a partitioned parent are made by the
    /// parent's own constraint.
    static let constraints = """
        SELECT 'ALTER TABLE ' || CASE WHEN c.relkind = 'p' THEN '' ELSE 'ONLY ' END || \(qualifiedClass)
          || ' ADD CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid)
        FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype IN ('p', 'u', 'c', 'x', 'f') AND k.conparentid = 0 AND k.conislocal AND c.relkind IN ('r', 'p') AND \(userSchema)
          AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
        ORDER BY CASE k.contype WHEN 'f' THEN 1 ELSE 0 END, k.oid
        """

    /// Indexes not made by a constraint or by a partitioned parent's index.
    static let indexes = """
        SELECT pg_catalog.pg_get_indexdef(x.indexrelid), c.relkind
        FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = x.indexrelid)
        ORDER BY x.indexrelid
        """

    static let triggers = """
        SELECT pg_catalog.pg_get_triggerdef(t.oid)
        FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND \(userSchema) AND \(notExtensionMember("pg_catalog.pg_class", "c.oid"))
        ORDER BY t.oid
        """
}
