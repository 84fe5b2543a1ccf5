//! The kubeconfig and env file `secretdeck sim` writes for other clients.
//! A file another sim wrote while it still runs is never overwritten (its
//! clients would lose their cluster), nor is a file some other tool wrote;
//! on exit only the files this process wrote, still as it wrote them, are
//! removed.

use anyhow::Context as _;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Marks every file the sim writes (the kubeconfig's cluster name and the
/// env file's dummy access key contain it).
const MARK: &str = "secretdeck-sim";
const ENV_MARK: &str = "AKIDSECRETDECKSIM";

/// `path` may be written: it does not exist, or it is a sim file whose sim
/// no longer answers.
pub fn check_free(path: &Path) -> anyhow::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    };
    if !(text.contains(MARK) || text.contains(ENV_MARK)) {
        anyhow::bail!(
            "refusing to overwrite {}: it was not written by secretdeck sim (pass --kubeconfig/--env-file to write elsewhere)",
            path.display()
        );
    }
    if let Some(url) = live_server(&text) {
        anyhow::bail!(
            "{} belongs to a secretdeck sim still running at {url}; stop that one or pass --kubeconfig/--env-file to write elsewhere",
            path.display()
        );
    }
    Ok(())
}

/// The first `http://host:port` in a sim file that something answers on.
fn live_server(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '=')
        .filter_map(|w| w.strip_prefix("http://"))
        .map(|hostport| hostport.trim_end_matches('/'))
        .find(|hostport| answers(hostport))
        .map(|hostport| format!("http://{hostport}"))
}

fn answers(hostport: &str) -> bool {
    hostport
        .to_socket_addrs()
        .ok()
        .into_iter()
        .flatten()
        .any(|a| TcpStream::connect_timeout(&a, Duration::from_millis(500)).is_ok())
}

/// The files this process wrote, with what it wrote.
#[derive(Debug, Default)]
pub struct Written(Vec<(PathBuf, String)>);

impl Written {
    pub fn write(&mut self, path: &Path, text: &str) -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        self.0.push((path.to_path_buf(), text.to_string()));
        Ok(())
    }

    /// Remove the files still holding what this process wrote.
    pub fn remove(self) {
        for (path, text) in self.0 {
            if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_sims_file_or_a_foreign_one_is_refused_a_stale_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let live = format!("http://{}", listener.local_addr().unwrap());
        let dead = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", l.local_addr().unwrap())
        };
        let path = dir.path().join("kubeconfig");
        assert!(check_free(&path).is_ok(), "absent");
        std::fs::write(&path, crate::env::kubeconfig_yaml(&live)).unwrap();
        let e = check_free(&path).unwrap_err().to_string();
        assert!(
            e.contains(&path.display().to_string()) && e.contains(&live),
            "{e}"
        );
        std::fs::write(&path, crate::env::kubeconfig_yaml(&dead)).unwrap();
        assert!(check_free(&path).is_ok(), "stale");
        std::fs::write(&path, "apiVersion: v1\nkind: Config\n").unwrap();
        let e = check_free(&path).unwrap_err().to_string();
        assert!(e.contains("not written by secretdeck sim"), "{e}");
    }

    #[test]
    fn only_files_still_as_written_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let mut w = Written::default();
        w.write(&a, "mine").unwrap();
        w.write(&b, "mine").unwrap();
        std::fs::write(&b, "someone else's").unwrap();
        w.remove();
        assert!(!a.exists());
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "someone else's");
    }
}
