//! Reading input files and standard input, with errors that name the file.

use std::io::Read;

use crate::{bad_input, CliError};

/// Reads a file, or standard input for `-`. Any failure is bad input naming the path.
pub fn read_input(path: &str, what: &str) -> Result<String, CliError> {
    if path == "-" {
        let mut content = String::new();
        std::io::stdin()
            .read_to_string(&mut content)
            .map_err(|e| bad_input(format!("cannot read {what} from standard input: {e}")))?;
        Ok(content)
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| bad_input(format!("cannot read {what} file `{path}`: {e}")))
    }
}
