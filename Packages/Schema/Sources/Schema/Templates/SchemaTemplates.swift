/// The starting schemas of the database-agent document (file 003): `user_management`,
/// `todo_application`, `blog_system` and `ecommerce`. Portable types only, so each applies to all
/// three engines; every foreign key has an index (the document's Foreign Key Index Rule) and every table
/// a primary key and audit timestamps.
public enum SchemaTemplates {
    /// The template names, for help texts and errors.
    public static let names = ["user_management", "todo_application", "blog_system", "ecommerce"]

    /// The template named `name` (also accepts `user-management`, `todo`, `blog`, `e-commerce`).
    public static func template(named name: String) throws -> SchemaDefinition {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "user_management", "users": return userManagement
        case "todo_application", "todo": return todoApplication
        case "blog_system", "blog": return blogSystem
        case "ecommerce", "e_commerce", "shop": return ecommerce
        default:
            throw SchemaError(.unknownName, "no template named '\(name.prefix(40))'; use one of \(names.joined(separator: ", "))", location: "template")
        }
    }

    // MARK: Building blocks

    static func id() -> ColumnDefinition { ColumnDefinition(name: "id", type: "integer", nullable: false, autoIncrement: true) }
    static func col(_ name: String, _ type: String, null: Bool = true, _ def: ColumnDefault? = nil) -> ColumnDefinition {
        ColumnDefinition(name: name, type: type, nullable: null, defaultValue: def)
    }
    static func audit() -> [ColumnDefinition] {
        [col("created_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP")),
         col("updated_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))]
    }
    static func fk(_ column: String, _ table: String, _ onDelete: ForeignKeyAction = .noAction) -> ForeignKey {
        ForeignKey(columns: [column], referencedTable: table, referencedColumns: ["id"], onDelete: onDelete)
    }
    static func idx(_ table: String, _ columns: [String], unique: Bool = false) -> IndexDefinition {
        IndexDefinition(name: "idx_\(table)_" + columns.joined(separator: "_"), columns: columns, unique: unique)
    }
    static func table(_ name: String, _ columns: [ColumnDefinition], pk: [String] = ["id"], fks: [ForeignKey] = [],
                      unique: [[String]] = [], checks: [String] = [], indexes: [IndexDefinition] = []) -> TableDefinition {
        var t = TableDefinition(name: name, columns: columns, primaryKey: PrimaryKey(columns: pk), foreignKeys: fks,
                                uniqueConstraints: unique.map { UniqueConstraint(columns: $0) },
                                checkConstraints: checks.map { CheckConstraint(expression: $0) }, indexes: indexes)
        for f in fks where !indexes.contains(where: { $0.columns.first == f.columns[0] }) && pk.first != f.columns[0] {
            t.indexes.append(idx(name, f.columns))
        }
        t.normalizePrimaryKeyNullability()
        return t
    }

    // MARK: Templates

    /// Accounts, profiles, roles (many-to-many), sessions and an audit log.
    public static var userManagement: SchemaDefinition {
        SchemaDefinition(tables: [
            table("users", [id(), col("username", "varchar(50)", null: false), col("email", "varchar(255)", null: false),
                            col("password_hash", "varchar(255)", null: false), col("is_active", "boolean", null: false, .boolean(true)),
                            col("last_login_at", "timestamp")] + audit(),
                  unique: [["username"]], indexes: [idx("users", ["email"], unique: true)]),
            table("user_profiles", [id(), col("user_id", "integer", null: false), col("first_name", "varchar(100)"),
                                    col("last_name", "varchar(100)"), col("bio", "text"), col("avatar_url", "varchar(500)")] + audit(),
                  fks: [fk("user_id", "users", .cascade)], unique: [["user_id"]]),
            table("roles", [id(), col("name", "varchar(50)", null: false), col("description", "text")] + audit(), unique: [["name"]]),
            table("user_roles", [col("user_id", "integer", null: false), col("role_id", "integer", null: false),
                                 col("granted_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))],
                  pk: ["user_id", "role_id"], fks: [fk("user_id", "users", .cascade), fk("role_id", "roles", .cascade)]),
            table("sessions", [id(), col("user_id", "integer", null: false), col("token_hash", "varchar(255)", null: false),
                               col("expires_at", "timestamp", null: false), col("created_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))],
                  fks: [fk("user_id", "users", .cascade)], unique: [["token_hash"]]),
            table("audit_log", [id(), col("user_id", "integer"), col("action", "varchar(100)", null: false), col("details", "text"),
                                col("created_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))],
                  fks: [fk("user_id", "users", .setNull)]),
        ])
    }

    /// Todos with priorities and due dates, categories, tags, user ownership and sharing.
    public static var todoApplication: SchemaDefinition {
        SchemaDefinition(tables: [
            table("users", [id(), col("username", "varchar(50)", null: false), col("email", "varchar(255)", null: false)] + audit(),
                  unique: [["username"], ["email"]]),
            table("categories", [id(), col("user_id", "integer", null: false), col("name", "varchar(100)", null: false),
                                 col("color", "varchar(7)")] + audit(),
                  fks: [fk("user_id", "users", .cascade)], unique: [["user_id", "name"]]),
            table("todos", [id(), col("user_id", "integer", null: false), col("category_id", "integer"),
                            col("title", "varchar(255)", null: false), col("description", "text"),
                            col("priority", "smallint", null: false, .number("2")), col("due_date", "date"),
                            col("completed", "boolean", null: false, .boolean(false)), col("completed_at", "timestamp")] + audit(),
                  fks: [fk("user_id", "users", .cascade), fk("category_id", "categories", .setNull)],
                  checks: ["priority >= 1 AND priority <= 4"], indexes: [idx("todos", ["user_id", "completed"]), idx("todos", ["category_id"]), idx("todos", ["due_date"])]),
            table("tags", [id(), col("name", "varchar(50)", null: false)], unique: [["name"]]),
            table("todo_tags", [col("todo_id", "integer", null: false), col("tag_id", "integer", null: false)],
                  pk: ["todo_id", "tag_id"], fks: [fk("todo_id", "todos", .cascade), fk("tag_id", "tags", .cascade)]),
            table("todo_shares", [col("todo_id", "integer", null: false), col("user_id", "integer", null: false),
                                  col("can_edit", "boolean", null: false, .boolean(false))],
                  pk: ["todo_id", "user_id"], fks: [fk("todo_id", "todos", .cascade), fk("user_id", "users", .cascade)]),
        ])
    }

    /// Authors, posts with metadata, moderated comments (threaded), categories and tags.
    public static var blogSystem: SchemaDefinition {
        SchemaDefinition(tables: [
            table("authors", [id(), col("username", "varchar(50)", null: false), col("email", "varchar(255)", null: false),
                              col("display_name", "varchar(100)", null: false), col("bio", "text"),
                              col("role", "varchar(20)", null: false, .string("author"))] + audit(),
                  unique: [["username"], ["email"]], checks: ["role IN ('author', 'editor', 'admin')"]),
            table("categories", [id(), col("name", "varchar(100)", null: false), col("slug", "varchar(100)", null: false),
                                 col("parent_id", "integer")],
                  fks: [fk("parent_id", "categories", .setNull)], unique: [["slug"]]),
            table("posts", [id(), col("author_id", "integer", null: false), col("category_id", "integer"),
                            col("title", "varchar(255)", null: false), col("slug", "varchar(255)", null: false),
                            col("excerpt", "text"), col("content", "text", null: false),
                            col("status", "varchar(20)", null: false, .string("draft")), col("published_at", "timestamp"),
                            col("view_count", "integer", null: false, .number("0"))] + audit(),
                  fks: [fk("author_id", "authors"), fk("category_id", "categories", .setNull)], unique: [["slug"]],
                  checks: ["status IN ('draft', 'published', 'archived')"],
                  indexes: [idx("posts", ["published_at"]), idx("posts", ["status", "published_at"])]),
            table("comments", [id(), col("post_id", "integer", null: false), col("parent_id", "integer"),
                               col("author_name", "varchar(100)", null: false), col("author_email", "varchar(255)", null: false),
                               col("content", "text", null: false), col("is_approved", "boolean", null: false, .boolean(false)),
                               col("created_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))],
                  fks: [fk("post_id", "posts", .cascade), fk("parent_id", "comments", .cascade)],
                  indexes: [idx("comments", ["post_id", "is_approved"])]),
            table("tags", [id(), col("name", "varchar(50)", null: false), col("slug", "varchar(50)", null: false)], unique: [["slug"]]),
            table("post_tags", [col("post_id", "integer", null: false), col("tag_id", "integer", null: false)],
                  pk: ["post_id", "tag_id"], fks: [fk("post_id", "posts", .cascade), fk("tag_id", "tags", .cascade)]),
        ])
    }

    /// Customers and addresses, a product catalog with categories and inventory, orders with items and payments.
    public static var ecommerce: SchemaDefinition {
        SchemaDefinition(tables: [
            table("customers", [id(), col("email", "varchar(255)", null: false), col("first_name", "varchar(100)", null: false),
                                col("last_name", "varchar(100)", null: false), col("phone", "varchar(30)")] + audit(),
                  unique: [["email"]]),
            table("addresses", [id(), col("customer_id", "integer", null: false), col("line1", "varchar(255)", null: false),
                                col("line2", "varchar(255)"), col("city", "varchar(100)", null: false), col("postal_code", "varchar(20)", null: false),
                                col("country_code", "char(2)", null: false), col("is_default", "boolean", null: false, .boolean(false))],
                  fks: [fk("customer_id", "customers", .cascade)]),
            table("categories", [id(), col("name", "varchar(100)", null: false), col("slug", "varchar(100)", null: false),
                                 col("parent_id", "integer")],
                  fks: [fk("parent_id", "categories", .setNull)], unique: [["slug"]]),
            table("products", [id(), col("category_id", "integer"), col("sku", "varchar(64)", null: false),
                               col("name", "varchar(255)", null: false), col("description", "text"),
                               col("price", "decimal(12,2)", null: false), col("is_active", "boolean", null: false, .boolean(true))] + audit(),
                  fks: [fk("category_id", "categories", .setNull)], unique: [["sku"]], checks: ["price >= 0"],
                  indexes: [idx("products", ["name"])]),
            table("inventory", [col("product_id", "integer", null: false), col("quantity", "integer", null: false, .number("0")),
                                col("reserved", "integer", null: false, .number("0")), col("updated_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))],
                  pk: ["product_id"], fks: [fk("product_id", "products", .cascade)], checks: ["quantity >= 0", "reserved >= 0"]),
            table("orders", [id(), col("customer_id", "integer", null: false), col("shipping_address_id", "integer"),
                             col("status", "varchar(20)", null: false, .string("pending")), col("total", "decimal(12,2)", null: false, .number("0")),
                             col("placed_at", "timestamp", null: false, .expression("CURRENT_TIMESTAMP"))],
                  fks: [fk("customer_id", "customers"), fk("shipping_address_id", "addresses", .setNull)],
                  checks: ["status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')"],
                  indexes: [idx("orders", ["customer_id", "placed_at"]), idx("orders", ["status"])]),
            table("order_items", [id(), col("order_id", "integer", null: false), col("product_id", "integer", null: false),
                                  col("quantity", "integer", null: false), col("unit_price", "decimal(12,2)", null: false)],
                  fks: [fk("order_id", "orders", .cascade), fk("product_id", "products")], unique: [["order_id", "product_id"]],
                  checks: ["quantity > 0"]),
            table("payments", [id(), col("order_id", "integer", null: false), col("amount", "decimal(12,2)", null: false),
                               col("method", "varchar(30)", null: false), col("status", "varchar(20)", null: false, .string("pending")),
                               col("paid_at", "timestamp")],
                  fks: [fk("order_id", "orders", .cascade)]),
        ])
    }
}
