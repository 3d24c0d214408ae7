//! `rollcoach shelf`: the products, their openings and expiry; `shelf open` records a
//! new bottle in the journal.

use super::*;
use crate::routine::shelf::{self, Shelved};

/// What `shelf` can do besides listing.
#[derive(Debug, Subcommand)]
pub enum ShelfAction {
    /// Record that a new bottle of a product was opened (it wins over the config's `opened`).
    Open {
        /// The product's name in the config.
        name: String,
        /// The day it was opened (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = super::args::day)]
        date: Option<NaiveDate>,
    },
}

/// Lists the shelf on `date` (default today), as text or JSON.
pub(super) fn show_shelf(
    ctx: &Context,
    date: Option<NaiveDate>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let date = date.unwrap_or_else(|| ctx.today(ctx.now()));
    let items = shelf::shelf(&ctx.config, &ctx.journal()?, date);
    if json {
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
        return Ok(());
    }
    if items.is_empty() {
        writeln!(
            out,
            "no products: list them under `products:` in the config, e.g. \
             (name: \"Retinol 0.3%\", actives: [Retinoid], opened: \"2026-10-01\")"
        )?;
        return Ok(());
    }
    for item in &items {
        writeln!(out, "{}", shelf_line(item, date))?;
    }
    Ok(())
}

/// "Retinol 0.3% · retinoid · opened Thu 1 Oct 2026 · expires Thu 1 Apr 2027 (6 months) · 122 days left"
fn shelf_line(item: &Shelved, date: NaiveDate) -> String {
    let day = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    let actives = if item.actives.is_empty() {
        "no actives".to_string()
    } else {
        let names: Vec<&str> = item.actives.iter().map(|a| a.as_str()).collect();
        names.join(", ")
    };
    let left = |left: i64| match left {
        n if n <= 0 => "expired: open a new one".to_string(),
        1 => "1 day left".to_string(),
        n => format!("{n} days left"),
    };
    let why = if item.printed {
        "the printed date".to_string()
    } else {
        item.keeps.to_string()
    };
    let mut state = match (item.opened, item.expires, item.days_left(date)) {
        (Some(opened), Some(expires), Some(n)) => format!(
            "opened {} · expires {} ({why}) · {}",
            day(opened),
            day(expires),
            left(n)
        ),
        (Some(opened), _, _) => format!("opened {} · keeps beyond the calendar", day(opened)),
        (None, Some(expires), Some(n)) => format!(
            "not opened yet · expires {} (the printed date) · {}",
            day(expires),
            left(n)
        ),
        _ => format!(
            "not opened yet (keeps {} once opened; `rollcoach shelf open` records it)",
            item.keeps
        ),
    };
    // L-ascorbic acid oxidises: the colour says so before the date does.
    if item
        .actives
        .contains(&crate::routine::actives::Active::VitaminC)
    {
        state.push_str(" · sooner if it turns orange or brown");
    }
    // A name from the config may hold escape sequences: shown, never obeyed.
    let name = crate::dashboard::ui::clean(&item.name);
    format!("{name} · {actives} · {state}")
}

/// Records a product opened on `date` (default today).
pub(super) fn open(
    ctx: &Context,
    name: &str,
    date: Option<NaiveDate>,
    out: &mut impl Write,
) -> Result<()> {
    let Some(product) = ctx.config.product(name) else {
        let names: Vec<String> = ctx
            .config
            .products
            .iter()
            .map(|p| format!("{:?}", p.name))
            .collect();
        let known = if names.is_empty() {
            "the config lists no `products`".to_string()
        } else {
            format!("the products are: {}", names.join(", "))
        };
        return Err(BadInput(format!("no product named {name:?}; {known}")).into());
    };
    let day = date.unwrap_or_else(|| ctx.today(ctx.now()));
    // Never opened before, here or in the config: a product new to this skin.
    let first =
        product.opened.is_none()
            && !ctx.journal()?.records.iter().any(
                |r| matches!(r, Record::ProductOpened { product: p, .. } if *p == product.name),
            );
    append(
        ctx,
        &Record::ProductOpened {
            product: product.name.clone(),
            day,
        },
    )?;
    let item = shelf::shelf(&ctx.config, &ctx.journal()?, day)
        .into_iter()
        .find(|i| i.name == product.name)
        .context("the shelf lost the product")?;
    writeln!(
        out,
        "recorded {:?} opened on {}",
        product.name,
        day.format("%a %-d %b %Y")
    )?;
    writeln!(out, "{}", shelf_line(&item, day))?;
    if first {
        writeln!(
            out,
            "new to your skin: try it first on the inside of the forearm twice a day for 7 to \
             10 days (AAD), and never within 72 hours after a roll"
        )?;
    }
    Ok(())
}
