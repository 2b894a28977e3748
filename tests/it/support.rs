//! Helpers for the integration tests: run the `kbls` binary and build throwaway corpora.
//!
//! Every run has a time limit, so a hang (a symlink loop, a stuck reader) fails the test
//! instead of stalling the suite.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one `kbls` run may take before the test fails. Generous: CI builds in debug mode.
const RUN_TIME_LIMIT: Duration = Duration::from_secs(120);

/// The repository root, where `fixtures/` is.
/// `git` in `dir` with a test identity and no signing, so commits work on any machine.
pub fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(dir).args([
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "-c",
        "commit.gpgsign=false",
    ]);
    command
}

/// Runs `git ARGS` in `dir` (the test identity, and `env`), failing the test with git's stderr
/// when git fails.
pub fn git_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let output = git_command(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// [`git_with_env`] with no extra environment.
pub fn git(dir: &Path, args: &[&str]) {
    git_with_env(dir, args, &[]);
}

/// Writes `text` to `dir/path`, creating its folders.
pub fn write_file(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
    std::fs::write(path, text).expect("write file");
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of `kbls` printed, and how it exited.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// A `kbls` command to run. Output is never a terminal here, `NO_COLOR` is set and
/// `KBLS_TODAY` is cleared, unless a test says otherwise.
pub struct Kbls {
    command: Command,
}

impl Kbls {
    pub fn new(cwd: &Path) -> Kbls {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kbls"));
        command
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .env_remove("KBLS_TODAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Kbls { command }
    }

    pub fn args(mut self, args: &[&str]) -> Kbls {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Kbls {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Kbls {
        self.command.env_remove(key);
        self
    }

    #[track_caller]
    pub fn run(mut self) -> Run {
        let mut child = self.command.spawn().expect("spawn kbls");
        // Read both pipes on threads: a child that fills one pipe must not block the other.
        let stdout = read_on_thread(child.stdout.take().expect("piped stdout"));
        let stderr = read_on_thread(child.stderr.take().expect("piped stderr"));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for kbls") {
                break status;
            }
            if started.elapsed() > RUN_TIME_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "kbls did not finish within {RUN_TIME_LIMIT:?}: {:?}",
                    self.command
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        Run {
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
            code: status.code().expect("kbls ended by a signal"),
        }
    }
}

fn read_on_thread(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).expect("read kbls output");
        String::from_utf8(bytes).expect("kbls output is UTF-8")
    })
}

/// Runs `kbls ARGS` in `cwd`.
#[track_caller]
pub fn kbls(cwd: &Path, args: &[&str]) -> Run {
    Kbls::new(cwd).args(args).run()
}

/// A corpus in a fresh temporary folder, removed when dropped.
pub struct Corpus {
    dir: tempfile::TempDir,
}

impl Corpus {
    /// Writes `(path, text)` files, `/`-separated paths relative to the corpus folder.
    pub fn new(files: &[(&str, &str)]) -> Corpus {
        // A visible name: the default `.tmpXXXX` would make the root itself a hidden folder.
        let dir = tempfile::Builder::new()
            .prefix("kbls-it-")
            .tempdir()
            .expect("create temp dir");
        let corpus = Corpus { dir };
        for (path, text) in files {
            corpus.write(path, text);
        }
        corpus
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, contents).expect("write corpus file");
    }

    /// Runs `kbls ARGS` with the corpus folder as the current folder.
    #[track_caller]
    pub fn kbls(&self, args: &[&str]) -> Run {
        kbls(self.path(), args)
    }
}
