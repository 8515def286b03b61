/*! Encrypted bundles for the road: a community centre holds only the municipality's public key,
so a lost USB stick leaks nothing. Uses the age format (X25519 recipients, ChaCha20-Poly1305), a
published, audited design, through the `age` crate. */
use std::io::{Read, Write};
use std::path::Path;

use age::secrecy::ExposeSecret;
use thiserror::Error;

/// The first bytes of every binary age file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";

#[derive(Debug, Error)]
pub enum CryptoError {
    #[error("\"{0}\" is not a public key (it starts with age1…)")]
    BadPublicKey(String),
    #[error("the key file does not hold a private key (a line starting with AGE-SECRET-KEY-1)")]
    BadIdentity,
    #[error("this bundle is encrypted; import it with the municipality's private key (--identity KEYFILE)")]
    NeedsKey,
    #[error("this bundle was encrypted for another key; nothing was imported")]
    WrongKey,
    #[error("the encrypted bundle is damaged: {0}")]
    Damaged(String),
    #[error("cannot write the key file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// True when bytes are an age-encrypted file.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_MAGIC)
}

/// A new key pair: (private key text, public key text).
pub fn generate() -> (String, String) {
    let identity = age::x25519::Identity::generate();
    (
        identity.to_string().expose_secret().to_string(),
        identity.to_public().to_string(),
    )
}

/// Writes a private key file readable by its owner only; returns the public key.
pub fn keygen(path: &Path) -> Result<String, CryptoError> {
    let (secret, public) = generate();
    let text = format!(
        "# Wijkkompas private key, made {}\n# public key: {public}\n{secret}\n",
        crate::store::now_rfc3339()
    );
    let err = |source| CryptoError::Write {
        path: path.display().to_string(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(err)?;
    file.write_all(text.as_bytes()).map_err(err)?;
    Ok(public)
}

/// Checks a public key's text.
pub fn parse_public_key(text: &str) -> Result<age::x25519::Recipient, CryptoError> {
    text.trim()
        .parse()
        .map_err(|_| CryptoError::BadPublicKey(text.trim().to_string()))
}

pub fn encrypt(plain: &[u8], public_key: &str) -> Result<Vec<u8>, CryptoError> {
    let recipient = parse_public_key(public_key)?;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| CryptoError::Damaged(e.to_string()))?;
    let mut out = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| CryptoError::Damaged(e.to_string()))?;
    writer
        .write_all(plain)
        .map_err(|e| CryptoError::Damaged(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| CryptoError::Damaged(e.to_string()))?;
    Ok(out)
}

/// Reads the private key out of a key file's text (comment lines are allowed).
pub fn parse_identity(key_file: &str) -> Result<age::x25519::Identity, CryptoError> {
    key_file
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .and_then(|l| l.parse().ok())
        .ok_or(CryptoError::BadIdentity)
}

pub fn decrypt(cipher: &[u8], identity: &age::x25519::Identity) -> Result<Vec<u8>, CryptoError> {
    let mut reader = decrypting(cipher, identity)?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|e| CryptoError::Damaged(e.to_string()))?;
    Ok(plain)
}

/// The plain text of an encrypted file as a stream, decrypted as it is read. The header and key
/// are checked here; damage further on is an error of the reading (the age format authenticates
/// every 64 KiB piece before it is given out).
pub fn decrypting<R: Read>(
    cipher: R,
    identity: &age::x25519::Identity,
) -> Result<impl Read, CryptoError> {
    let decryptor = age::Decryptor::new_buffered(std::io::BufReader::new(cipher))
        .map_err(|e| CryptoError::Damaged(e.to_string()))?;
    decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => CryptoError::WrongKey,
            other => CryptoError::Damaged(other.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_trip_needs_the_right_key() {
        let (secret, public) = generate();
        assert!(public.starts_with("age1") && secret.starts_with("AGE-SECRET-KEY-1"));
        let sealed = encrypt(b"{\"format\":\"wijkkompas-bundle\"}", &public).unwrap();
        assert!(is_encrypted(&sealed));
        assert!(
            !sealed.windows(9).any(|w| w == b"wijkkompa"),
            "no plain text in the file"
        );
        let id = parse_identity(&format!("# comment\n{secret}\n")).unwrap();
        assert_eq!(
            decrypt(&sealed, &id).unwrap(),
            b"{\"format\":\"wijkkompas-bundle\"}"
        );
        let (other, _) = generate();
        assert!(matches!(
            decrypt(&sealed, &parse_identity(&other).unwrap()),
            Err(CryptoError::WrongKey)
        ));
        assert!(matches!(
            parse_public_key("age1nope"),
            Err(CryptoError::BadPublicKey(_))
        ));
        assert!(matches!(
            parse_identity("nothing here"),
            Err(CryptoError::BadIdentity)
        ));
    }
}
