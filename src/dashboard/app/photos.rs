//! The photo view's state: the two photos compared (the one chosen, by default the
//! latest, beside the one closest to a span earlier), what happened between them, and
//! their pictures as the worker makes them.

use chrono::{Duration, NaiveDate};

use super::{Action, App, Effect, Overlay};
use crate::dashboard::photos::{Picture, Wanted};
use crate::routine::journal::{Journal, PhotoRecord};

/// The spans, in weeks, the view compares over (`[` and `]` move between them).
pub const SPANS: [u32; 7] = [1, 2, 4, 8, 13, 26, 52];

/// The span the view opens on: 4 weeks, long enough for skin to change.
const FIRST_SPAN: usize = 2;

/// Which photos the view compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoView {
    /// The later photo, by its place among the photos oldest first.
    pub later: usize,
    /// The span, by its place in `SPANS`.
    pub span: usize,
}

/// The two photos compared and what was done between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared<'a> {
    /// The later photo.
    pub later: &'a PhotoRecord,
    /// The photo closest to the span before it, if there is an earlier one.
    pub earlier: Option<&'a PhotoRecord>,
    /// Sessions on the days after the earlier photo up to the later one's day.
    pub sessions: usize,
    /// Of those, the ones that rolled.
    pub rolls: usize,
    /// The later photo's place (1-based) and how many photos there are.
    pub place: (usize, usize),
    /// The span in weeks.
    pub weeks: u32,
}

impl PhotoView {
    /// Opens on the latest photo and the first span.
    pub fn latest(journal: &Journal) -> PhotoView {
        PhotoView {
            later: journal.photos().len().saturating_sub(1),
            span: FIRST_SPAN,
        }
    }

    /// The photos compared, None while there are none.
    pub fn compared<'a>(&self, journal: &'a Journal) -> Option<Compared<'a>> {
        let photos = journal.photos();
        let later_at = self.later.min(photos.len().checked_sub(1)?);
        let later = photos[later_at];
        let weeks = SPANS[self.span.min(SPANS.len() - 1)];
        let target = later
            .taken
            .checked_sub_signed(Duration::weeks(i64::from(weeks)))
            .unwrap_or(NaiveDate::MIN);
        // Closest to the target; of two as close, the older.
        let earlier = photos[..later_at]
            .iter()
            .filter(|p| p.taken < later.taken)
            .min_by_key(|p| (p.taken - target).num_days().abs())
            .copied();
        let (sessions, rolls) = earlier.map_or((0, 0), |e| {
            let between: Vec<_> = journal
                .sessions()
                .filter(|s| s.day > e.taken && s.day <= later.taken)
                .collect();
            (between.len(), between.iter().filter(|s| s.rolled()).count())
        });
        Some(Compared {
            later,
            earlier,
            sessions,
            rolls,
            place: (later_at + 1, photos.len()),
            weeks,
        })
    }
}

impl App {
    /// `p` from the history opens the photos and from the photos goes back; the
    /// stepping keys act only in the photo view.
    pub(super) fn photo_act(&mut self, action: Action) -> Vec<Effect> {
        let view = match (&self.overlay, action) {
            (Some(Overlay::History), Action::Photos) => PhotoView::latest(&self.journal),
            (Some(Overlay::Photos(_)), Action::Photos) => {
                self.overlay = Some(Overlay::History);
                return Vec::new();
            }
            (Some(Overlay::Photos(before)), _) => {
                let count = self.journal.photos().len();
                let mut view = *before;
                match action {
                    Action::EarlierPhoto => view.later = view.later.saturating_sub(1),
                    Action::LaterPhoto => {
                        view.later = (view.later + 1).min(count.saturating_sub(1))
                    }
                    Action::LongerSpan => view.span = (view.span + 1).min(SPANS.len() - 1),
                    Action::ShorterSpan => view.span = view.span.saturating_sub(1),
                    _ => {}
                }
                // A key that shows the same two photos says why, not nothing.
                let shown = |v: &PhotoView| {
                    v.compared(&self.journal)
                        .map(|c| (c.later.file.clone(), c.earlier.map(|e| e.file.clone())))
                };
                if shown(&view) == shown(before) {
                    self.message = Some(
                        match action {
                            Action::EarlierPhoto => "no earlier photo",
                            Action::LaterPhoto => "no later photo",
                            Action::LongerSpan if view.span == before.span => "the longest span",
                            Action::ShorterSpan if view.span == before.span => "the shortest span",
                            _ => "no other photo for that span: the same two are closest",
                        }
                        .into(),
                    );
                }
                view
            }
            _ => return Vec::new(),
        };
        self.overlay = Some(Overlay::Photos(view));
        self.want_pictures(false)
    }

    /// The photos on screen, earlier first.
    pub fn photos_shown(&self) -> Vec<String> {
        let Some(Overlay::Photos(view)) = &self.overlay else {
            return Vec::new();
        };
        view.compared(&self.journal).map_or(Vec::new(), |c| {
            c.earlier
                .into_iter()
                .chain([c.later])
                .map(|p| p.file.clone())
                .collect()
        })
    }

    /// Asks the worker for the pictures on screen it has not made yet; after a resize
    /// (`resized`), for all of them, which it makes again only if the size changed.
    pub(super) fn want_pictures(&mut self, resized: bool) -> Vec<Effect> {
        let files = self.photos_shown();
        self.pictures.retain(|p| files.contains(&p.file));
        let missing: Vec<String> = files
            .iter()
            .filter(|f| !self.pictures.iter().any(|p| p.file == **f))
            .cloned()
            .collect();
        if files.is_empty() || (missing.is_empty() && !resized) {
            return Vec::new();
        }
        vec![Effect::ShowPhotos(Wanted { files, missing })]
    }

    /// Keeps a picture the worker made, if its photo is still on screen.
    pub(super) fn take_picture(&mut self, picture: Picture) {
        if self.photos_shown().contains(&picture.file) {
            self.pictures.retain(|p| p.file != picture.file);
            self.pictures.push(picture);
        }
    }

    /// The picture made for a photo, if any.
    pub fn picture(&self, file: &str) -> Option<&Picture> {
        self.pictures.iter().find(|p| p.file == file)
    }
}
