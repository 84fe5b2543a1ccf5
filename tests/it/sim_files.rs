//! Two `secretdeck sim` in the same directory: the second refuses to take
//! over the first one's kubeconfig and env file while the first runs; the
//! first removes only its own files when it stops.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn sim(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_secretdeck"));
    cmd.args(["sim", "--bare", "--env-file"])
        .arg(dir.join("sim.env"))
        .env("SECRETDECK_LOG_DIR", dir.join("logs"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

async fn until_ready(child: &mut Child) {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line == "ready" {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(ready, Ok(true), "secretdeck sim did not get ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sim_leaves_the_running_ones_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    let env_file = dir.path().join("sim.env");
    let mut first = sim(dir.path()).spawn().unwrap();
    until_ready(&mut first).await;
    let kc_text = std::fs::read_to_string(&kubeconfig).unwrap();
    let env_text = std::fs::read_to_string(&env_file).unwrap();

    let second = sim(dir.path()).output().await.unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} belongs to a secretdeck sim still running at http://127.0.0.1:",
            kubeconfig.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&kubeconfig).unwrap(), kc_text);
    assert_eq!(std::fs::read_to_string(&env_file).unwrap(), env_text);

    // Asking for another kubeconfig in the same folder is no way around it.
    let second = sim(dir.path())
        .arg("--kubeconfig")
        .arg(dir.path().join("other-kubeconfig"))
        .output()
        .await
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&kubeconfig).unwrap(), kc_text);
    assert!(!dir.path().join("other-kubeconfig").exists());

    // Stopped with SIGTERM: it removes what it wrote, and only that.
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let pid = first.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(30), first.wait())
        .await
        .expect("the sim stops on SIGTERM")
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!kubeconfig.exists() && !env_file.exists());
    assert!(dir.path().join("notes.txt").exists());

    // A file left by a sim that no longer runs is taken over.
    std::fs::write(&kubeconfig, &kc_text).unwrap();
    let mut third = sim(dir.path()).spawn().unwrap();
    until_ready(&mut third).await;
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    let server = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: http://"))
        .expect("a server in the kubeconfig");
    assert!(
        std::net::TcpStream::connect(server).is_ok(),
        "the kubeconfig points at the running sim: {text}"
    );
    third.kill().await.unwrap();
}
