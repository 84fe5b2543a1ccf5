//! Random secret values of a given length and character set.

use rand::Rng;
use secrecy::SecretString;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// Letters and digits.
    #[default]
    Alphanumeric,
    /// Letters, digits and symbols safe in properties, JSON and shells
    /// (`-_.~+*%@^`).
    Symbols,
    /// Lower-case hexadecimal.
    Hex,
}

impl Charset {
    pub const ALL: [Charset; 3] = [Charset::Alphanumeric, Charset::Symbols, Charset::Hex];

    pub fn chars(self) -> &'static [u8] {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const SYM: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+*%@^";
        match self {
            Charset::Alphanumeric => ALNUM,
            Charset::Symbols => SYM,
            Charset::Hex => b"0123456789abcdef",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Charset::Alphanumeric => "letters+digits",
            Charset::Symbols => "letters+digits+symbols",
            Charset::Hex => "hex",
        }
    }

    pub fn next(self) -> Charset {
        let i = Charset::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Charset::ALL[(i + 1) % Charset::ALL.len()]
    }
}

/// A random value of `len` characters from `charset` (thread-local CSPRNG).
pub fn generate(len: usize, charset: Charset) -> SecretString {
    let set = charset.chars();
    let mut rng = rand::rng();
    let s: String = (0..len)
        .map(|_| char::from(set[rng.random_range(0..set.len())]))
        .collect();
    SecretString::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn length_and_charset() {
        for cs in Charset::ALL {
            let v = generate(64, cs);
            assert_eq!(v.expose_secret().len(), 64);
            assert!(v.expose_secret().bytes().all(|b| cs.chars().contains(&b)));
        }
        assert_ne!(
            generate(32, Charset::Alphanumeric).expose_secret(),
            generate(32, Charset::Alphanumeric).expose_secret()
        );
        assert_eq!(generate(0, Charset::Hex).expose_secret(), "");
    }
}
