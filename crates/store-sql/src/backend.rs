//! What differs between the two databases, as one trait of ours.
//!
//! The store is written once, generic over `B: Backend` (`SqlStore<B>`).
//! A backend says how a write transaction begins, how appends to the audit
//! chain are serialised, how a job is picked, and how its schema is migrated;
//! everything else is the shared SQL in this crate.
//!
//! sqlx expresses "this database can bind and read `T`" as bounds on `T`
//! (`T: Encode<DB> + Decode<DB> + Type<DB>`), which Rust does not carry from a
//! trait to its users: every generic function would have to repeat them. So
//! the column types the store uses are listed once, as supertraits of
//! [`Backend`] ([`Column`] for owned values, [`Binds`] for borrowed ones),
//! whose blanket implementations hold the sqlx bounds. The store binds with
//! [`Param::param`] and reads with [`get`], which go through those traits.

use std::future::Future;

use attune_store::StoreError;
use sqlx::query::Query;
use sqlx::{ColumnIndex, Database, Decode, Encode, IntoArguments, Pool, Row, Transaction, Type};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A database the store runs on. Implemented for `sqlx::Sqlite` and
/// `sqlx::Postgres` (each behind its cargo feature).
pub trait Backend:
    Database<Arguments: IntoArguments<Self>>
    + Column<i64>
    + Column<Option<i64>>
    + Column<f64>
    + Column<Option<f64>>
    + Column<bool>
    + Column<Option<bool>>
    + Column<String>
    + Column<Option<String>>
    + Column<Uuid>
    + Column<Option<Uuid>>
    + Column<OffsetDateTime>
    + Column<Option<OffsetDateTime>>
    + Column<Date>
    + Column<Option<Date>>
    + Column<Vec<u8>>
    + Column<Option<Vec<u8>>>
    + for<'a> Binds<&'a str>
    + for<'a> Binds<&'a [u8]>
    + for<'a> Binds<&'a String>
    + for<'a> Binds<&'a Option<String>>
    + for<'a> Binds<&'a Vec<u8>>
{
    /// The next job to run, with its tries so far: `SELECT id, attempts`,
    /// `$1` being now in microseconds.
    const PICK_JOB: &'static str;

    /// How many rows a statement changed.
    fn rows_affected(done: &Self::QueryResult) -> u64;

    /// Creates the schema or brings it up to date.
    fn migrate(pool: &Pool<Self>) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Begins a transaction that writes clinical data, fully durable.
    fn begin_write(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<Transaction<'static, Self>, StoreError>> + Send;

    /// Begins a transaction whose only write is the audit event of a read
    /// (see ARCHITECTURE.md, "Durability of read audits").
    fn begin_read_audited(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<Transaction<'static, Self>, StoreError>> + Send;

    /// Keeps any other writer from reading the audit chain's end until this
    /// transaction ends.
    fn lock_audit(
        conn: &mut Self::Connection,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// The database binds `T` and reads it back.
pub trait Column<T>: Binds<T> + Reads<T> {}

impl<DB, T> Column<T> for DB where DB: Binds<T> + Reads<T> {}

/// The database can take `T` as a query parameter.
pub trait Binds<T>: Database {
    fn bind_param(query: SqlQuery<'_, Self>, value: T) -> SqlQuery<'_, Self>;
}

impl<DB, T> Binds<T> for DB
where
    DB: Database,
    T: for<'t> Encode<'t, DB> + Type<DB>,
{
    fn bind_param(query: SqlQuery<'_, Self>, value: T) -> SqlQuery<'_, Self> {
        query.bind(value)
    }
}

/// The database can read a column as `T`.
pub trait Reads<T>: Database {
    fn read(row: &Self::Row, column: &str) -> Result<T, sqlx::Error>;
    fn read_first(row: &Self::Row) -> Result<T, sqlx::Error>;
}

impl<DB, T> Reads<T> for DB
where
    DB: Database,
    T: for<'r> Decode<'r, DB> + Type<DB>,
    for<'s> &'s str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
{
    fn read(row: &Self::Row, column: &str) -> Result<T, sqlx::Error> {
        row.try_get(column)
    }

    fn read_first(row: &Self::Row) -> Result<T, sqlx::Error> {
        row.try_get(0)
    }
}

/// A query with the database's own argument buffer.
pub type SqlQuery<'q, DB> = Query<'q, DB, <DB as Database>::Arguments>;

/// `bind` for generic code: the bound is proven through [`Binds`].
pub trait Param<DB: Database>: Sized {
    fn param<T>(self, value: T) -> Self
    where
        DB: Binds<T>;
}

impl<'q, DB: Database> Param<DB> for SqlQuery<'q, DB> {
    fn param<T>(self, value: T) -> Self
    where
        DB: Binds<T>,
    {
        DB::bind_param(self, value)
    }
}

/// One column of a row, decoded as `T`.
pub fn get<R, T>(row: &R, column: &str) -> Result<T, StoreError>
where
    R: Row,
    R::Database: Reads<T>,
{
    <R::Database as Reads<T>>::read(row, column).map_err(crate::db_error)
}

/// The first column of a row, decoded as `T` (for one-value queries).
pub fn first<R, T>(row: &R) -> Result<T, StoreError>
where
    R: Row,
    R::Database: Reads<T>,
{
    <R::Database as Reads<T>>::read_first(row).map_err(crate::db_error)
}

/// A text column holding one of `T`'s codes.
pub fn code<R, T>(row: &R, column: &str) -> Result<T, StoreError>
where
    R: Row,
    R::Database: Reads<String>,
    T: attune_store::Code,
{
    attune_store::decode(column, &get::<R, String>(row, column)?)
}
