//! Durable acknowledgements without holding up the writer: the WAL is flushed to the disk in a
//! thread of its own, and a committed batch is answered once a flush that began after its
//! commit has finished.
//!
//! With `synchronous = FULL`, SQLite flushes the WAL (an `fsync`) inside every `COMMIT`, and
//! the one writer can do nothing else meanwhile: at a few milliseconds per flush that is most
//! of a batch's time. Instead the writer's connection commits with `synchronous = NORMAL`
//! (SQLite still flushes before each checkpoint, so the database stays consistent) and hands
//! the batch's answers to this thread, which flushes the `-wal` file with `fdatasync` and then
//! answers them. The writer runs the next batch during the flush, and one flush answers every
//! batch committed before it began. A commit's frames are written to the WAL before `COMMIT`
//! returns, so a flush begun after that puts them on the disk: nothing is acknowledged before
//! it would survive a power cut, as with `FULL`.

use std::fs::File;
use std::path::PathBuf;
use std::sync::mpsc;

/// Answers a job: `Ok` once its batch is durable, or the reason it is not.
pub(crate) type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;

/// The sending side of the flushing thread.
pub(crate) struct WalSync {
    batches: mpsc::Sender<Vec<Deliver>>,
}

impl WalSync {
    /// Opens the WAL file (`<database>-wal`, which must exist: the connection is in WAL mode
    /// and has read) and starts the flushing thread.
    pub(crate) fn start(wal: PathBuf) -> std::io::Result<WalSync> {
        let file = File::open(&wal)?;
        let (batches, queue) = mpsc::channel();
        std::thread::Builder::new().name("pact-broker-wal-sync".into()).spawn(move || run(file, &queue))?;
        Ok(WalSync { batches })
    }

    /// Answers `committed` (jobs of a batch that has just committed) once the WAL is on the
    /// disk.
    pub(crate) fn acknowledge(&self, committed: Vec<Deliver>) {
        if let Err(mpsc::SendError(committed)) = self.batches.send(committed) {
            for deliver in committed {
                deliver(Err("the write was committed, but the disk flush has stopped".into()));
            }
        }
    }
}

fn run(file: File, queue: &mpsc::Receiver<Vec<Deliver>>) {
    while let Ok(first) = queue.recv() {
        // Every batch committed so far is covered by the flush that starts now.
        let mut waiting = first;
        while let Ok(more) = queue.try_recv() {
            waiting.extend(more);
        }
        let started = std::time::Instant::now();
        let flushed = file.sync_data().map_err(|e| {
            tracing::error!("cannot flush the SQLite WAL to the disk: {e}");
            format!("the write was committed, but flushing it to the disk failed: {e}")
        });
        tracing::debug!(
            jobs = waiting.len(),
            elapsed_us = started.elapsed().as_micros() as u64,
            "WAL flushed"
        );
        for deliver in waiting {
            deliver(flushed.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> (Deliver, std::sync::mpsc::Receiver<Result<(), String>>) {
        let (sent, received) = std::sync::mpsc::channel();
        let deliver: Deliver = Box::new(move |result| {
            let _ = sent.send(result);
        });
        (deliver, received)
    }

    #[test]
    fn committed_batches_are_answered_after_a_flush() {
        let dir = tempfile::tempdir().unwrap();
        let wal = dir.path().join("db.sqlite-wal");
        std::fs::write(&wal, b"frames").unwrap();
        let wal_sync = WalSync::start(wal).unwrap();
        let (first, first_answer) = answer();
        let (second, second_answer) = answer();
        wal_sync.acknowledge(vec![first]);
        wal_sync.acknowledge(vec![second]);
        let timeout = std::time::Duration::from_secs(10);
        assert_eq!(first_answer.recv_timeout(timeout).unwrap(), Ok(()));
        assert_eq!(second_answer.recv_timeout(timeout).unwrap(), Ok(()));
    }

    #[test]
    fn a_missing_wal_file_is_refused_at_the_start() {
        let dir = tempfile::tempdir().unwrap();
        assert!(WalSync::start(dir.path().join("absent-wal")).is_err());
    }
}
