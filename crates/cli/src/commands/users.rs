//! `attune user add | list | disable`.

use attune_store::Code;
use std::io::BufRead;
use std::path::Path;

use anyhow::{Context, Result, bail};
use attune_store::audit::Actor;
use attune_store::{NewUser, Role, Store};
use serde::Serialize;

use super::print_json;
use crate::args::UserCommand;
use crate::record::{self, with_store};
use attune_web::password;

#[derive(Serialize)]
struct UserJson {
    id: String,
    username: String,
    display_name: String,
    role: &'static str,
    active: bool,
}

pub async fn run(dir: &Path, url: Option<&str>, cmd: UserCommand) -> Result<()> {
    let backend = record::open(dir, url).await?;
    let actor = Actor::system("cli");
    with_store!(backend, s => run_on(&s, &actor, cmd).await)
}

async fn run_on<S: Store>(s: &S, actor: &Actor, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            username,
            role,
            name,
            password_stdin,
        } => {
            let role = Role::from_code(&role)
                .context("--role is one of admin, therapist, supervisor, researcher")?;
            let (secret, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (password::generate()?, true)
            };
            let hash = password::hash(&secret)?;
            let user = s
                .create_user(
                    actor,
                    NewUser {
                        username,
                        display_name: name,
                        role,
                        password_hash: hash,
                    },
                )
                .await?;
            println!(
                "created {} {} ({})",
                user.role.code(),
                user.username,
                user.display_name
            );
            if generated {
                println!("password (shown once): {secret}");
            }
            Ok(())
        }
        UserCommand::List { json } => {
            let users = s.users().await?;
            if json {
                let list: Vec<UserJson> = users
                    .iter()
                    .map(|u| UserJson {
                        id: u.id.to_string(),
                        username: u.username.clone(),
                        display_name: u.display_name.clone(),
                        role: u.role.code(),
                        active: u.active,
                    })
                    .collect();
                return print_json(&list);
            }
            for u in users {
                let state = if u.active { "" } else { "  (disabled)" };
                println!(
                    "{:<24} {:<11} {}{state}",
                    u.username,
                    u.role.code(),
                    u.display_name
                );
            }
            Ok(())
        }
        UserCommand::Disable { username } => {
            let u = s.set_user_active(actor, &username, false).await?;
            if u.active {
                bail!("{username} is still active");
            }
            println!("disabled {username}");
            Ok(())
        }
    }
}
