//! Where effects go: the workers the loop hands them to, and the one function that
//! hands each effect to its worker.

use super::*;

/// Where effects go: the disk, the notification, hook and speech workers.
pub(super) struct Outlets {
    pub(super) disk: DiskWorker,
    pub(super) desktop: Desktop,
    pub(super) hooks: Hooks,
    pub(super) speech: Speech,
    pub(super) photos: Option<crate::dashboard::photos::PhotoWorker>,
}

/// Carries out effects: the bell here, everything that can block on a worker.
pub(super) fn apply(effects: Vec<Effect>, outlets: &Outlets) -> Result<()> {
    for effect in effects {
        match effect {
            Effect::Answer(answer, taken) => {
                // The client may have gone: nobody to tell then.
                let _ = answer.0.try_send(taken);
            }
            Effect::Bell => {
                let mut out = io::stdout();
                out.write_all(b"\x07")?;
                out.flush()?;
            }
            Effect::Append(record) => outlets.disk.send(Job::Append(record)),
            Effect::Save(saved) => outlets.disk.send(Job::Save(saved)),
            Effect::Checkpoint(saved) => outlets.disk.send(Job::Checkpoint(saved)),
            Effect::ClearSaved => outlets.disk.send(Job::Clear),
            Effect::Notify { summary, body } => outlets.desktop.notify(summary, body),
            Effect::Hook(hook) => outlets.hooks.run(hook),
            Effect::Speak { cue, with, .. } => outlets.speech.say(with, cue),
            Effect::ShowPhotos(wanted) => {
                if let Some(photos) = &outlets.photos {
                    photos.send(wanted);
                }
            }
        }
    }
    Ok(())
}
