@testable import Backups
import XCTest

/// How PostgreSQL post-data statements are split into phases for parallel restore.
final class PostDataPlanTests: XCTestCase {
    func testPlainKeysBecomeIndexBuildsPlusAttachmentsAndOtherFormsStayAsWritten() {
        let plan = PostDataPlan([
            "ALTER TABLE ONLY public.film ADD CONSTRAINT film_pkey PRIMARY KEY (film_id)",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT \"Odd Name\" UNIQUE (a, b)",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT t_u UNIQUE (a) DEFERRABLE",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT t_c CHECK ((a > 0))",
            "ALTER TABLE public.parted ADD CONSTRAINT parted_pkey PRIMARY KEY (id, day)",
            "ALTER TABLE ONLY public.film ADD CONSTRAINT film_language_id_fkey FOREIGN KEY (language_id) REFERENCES public.language(language_id)",
            "CREATE INDEX idx_title ON public.film USING btree (title)",
            "SELECT pg_catalog.setval('public.film_film_id_seq', 1000, true)",
        ])
        XCTAssertEqual(plan.builds, [
            "CREATE UNIQUE INDEX film_pkey ON public.film USING btree (film_id)",
            "CREATE UNIQUE INDEX \"Odd Name\" ON public.t USING btree (a, b)",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT t_u UNIQUE (a) DEFERRABLE",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT t_c CHECK ((a > 0))",
            "ALTER TABLE public.parted ADD CONSTRAINT parted_pkey PRIMARY KEY (id, day)",
            "CREATE INDEX idx_title ON public.film USING btree (title)",
        ])
        XCTAssertEqual(plan.attachments, [
            "ALTER TABLE ONLY public.film ADD CONSTRAINT film_pkey PRIMARY KEY USING INDEX film_pkey",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT \"Odd Name\" UNIQUE USING INDEX \"Odd Name\"",
        ])
        XCTAssertEqual(plan.foreignKeys.count, 1)
        XCTAssertEqual(plan.rest, ["SELECT pg_catalog.setval('public.film_film_id_seq', 1000, true)"])
    }
}
