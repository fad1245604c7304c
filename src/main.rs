#![forbid(unsafe_code)]
//! The `switchboard` binary: `serve` (default), `migrate`, `openapi`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use switchboard::app::Application;
use switchboard::config::Config;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Multi-tenant live chat: route website visitors to sales agents"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write the OpenAPI document of the API.
    Openapi {
        /// Where to write it.
        #[arg(long, default_value = "openapi/openapi.json")]
        out: PathBuf,
    },
    /// Print a new VAPID private key for Web Push (for SWITCHBOARD_VAPID_PRIVATE_KEY, which
    /// every node sharing a database must share), and its public key.
    VapidKey,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    switchboard::telemetry::init(&cli.config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(cli.config).await?;
            app.run_until_stopped().await
        }
        Command::Migrate => switchboard::app::migrate_only(&cli.config).await,
        Command::Openapi { out } => {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&out, switchboard_api::openapi_json() + "\n")?;
            println!("wrote {}", out.display());
            Ok(())
        }
        Command::VapidKey => {
            let key = switchboard_notify::push::VapidKey::generate();
            println!("SWITCHBOARD_VAPID_PRIVATE_KEY={}", key.private_base64url());
            println!("# public key (applicationServerKey): {}", key.public_key());
            Ok(())
        }
    }
}
