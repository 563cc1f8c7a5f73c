// One run at a time per output folder: an exclusive, non-blocking flock on `<folder>/.lock`. A second run
// fails at once with exit 75 instead of interleaving its files with the first's (SPEC §6).

import Foundation

/// Held for as long as the value lives; the kernel drops it if the process dies.
final class OutputLock {
    private let descriptor: Int32

    /// Takes the lock of `directory`, creating the folder when needed.
    init(directory: String) throws(TechSurveyError) {
        try AtomicFile.makeDirectory(directory)
        let path = directory + "/.lock"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TechSurveyError(.cannotCreate, "cannot create the lock file \(path) (\(String(cString: strerror(errno)))); check the folder's permissions")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw TechSurveyError(.locked, "another techsurvey run is writing \(directory) (it holds \(path)); wait for it to finish and run again")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
