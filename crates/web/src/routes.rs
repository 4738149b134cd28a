//! Routes registered through one builder that also writes them down, so that
//! the route table the tests walk (`crate::route_table`) is the router's own:
//! a route added without a row in the authorisation matrix fails its test.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};

use crate::app::{Shared, Stores};

/// One method on one path, as the router has it (`/clients/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
}

pub struct Routes<S> {
    router: Router<Shared<S>>,
    table: Vec<RouteInfo>,
}

impl<S: Stores> Routes<S> {
    pub fn new() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub fn get<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, Shared<S>>,
        T: 'static,
    {
        self.add(Method::GET, MethodFilter::GET, path, handler, None)
    }

    pub fn post<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, Shared<S>>,
        T: 'static,
    {
        self.add(Method::POST, MethodFilter::POST, path, handler, None)
    }

    /// A POST whose body may be larger (or must be smaller) than the default.
    pub fn post_limited<H, T>(self, path: &'static str, handler: H, max_body: usize) -> Self
    where
        H: Handler<T, Shared<S>>,
        T: 'static,
    {
        self.add(
            Method::POST,
            MethodFilter::POST,
            path,
            handler,
            Some(max_body),
        )
    }

    fn add<H, T>(
        mut self,
        method: Method,
        filter: MethodFilter,
        path: &'static str,
        handler: H,
        max_body: Option<usize>,
    ) -> Self
    where
        H: Handler<T, Shared<S>>,
        T: 'static,
    {
        let mut route = on(filter, handler);
        if let Some(max) = max_body {
            route = route.layer(DefaultBodyLimit::max(max));
        }
        // Two methods on one path merge into one method router.
        self.router = self.router.route(path, route);
        self.table.push(RouteInfo { method, path });
        self
    }

    pub fn into_parts(self) -> (Router<Shared<S>>, Vec<RouteInfo>) {
        (self.router, self.table)
    }
}
