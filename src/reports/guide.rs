/*! The facilitator's guide for a group session, on paper: how to run it in 45 minutes, the nine
lessons in our words, the statements with room for notes, and a paper answer form for members
who prefer paper (a facilitator enters it afterwards, marked "op papier ingevuld"). */
use std::fmt::Write;

use super::layout::{pages_to_pdf, text_svg, wrap, Page, ReportError};
use super::paper::{MARGIN, W};
use super::pdf::{LaidPage, Role as Piece};
use crate::content::catalog::catalog;
use crate::model::{Lang, Role};

struct Words {
    title: &'static str,
    subtitle: &'static str,
    intro: &'static str,
    flow: &'static str,
    steps: [&'static str; 4],
    tips_heading: &'static str,
    tips: [&'static str; 4],
    lessons: &'static str,
    lesson: &'static str,
    statements: &'static str,
    statements_intro: &'static str,
    good: &'static str,
    better: &'static str,
    form: &'static str,
    form_intro: &'static str,
    initiative: &'static str,
    i_am: &'static str,
    scale: [&'static str; 6],
    source: &'static str,
}

const NL: Words = Words {
    title: "Wijkkompas · Gespreksleidraad",
    subtitle: "Een groepsgesprek over jullie initiatief, in 45 minuten",
    intro: "Met de zelfcheck kijkt een groep samen naar haar initiatief, aan de hand van negen lessen uit het project Wij in de Wijk van Movisie. Eerst vult iedereen de stellingen alleen in; daarna bespreken jullie wat opvalt en spreken jullie af wat je gaat doen.",
    flow: "Zo verloopt het gesprek",
    steps: [
        "Opening (5 minuten): vertel waarom jullie dit doen. Er zijn geen goede of foute antwoorden. Niemand ziet wat een ander invult; de groep ziet alleen cijfers van iedereen samen.",
        "Invullen (15 minuten): iedereen beantwoordt de stellingen, om de beurt op de computer (Zelfcheck, 'Groepsgesprek') of op het antwoordformulier achterin. Tussen twee deelnemers wordt het scherm leeg.",
        "Samen kijken (15 minuten): sluit de ronde. Begin bij 'Om over te praten': lessen waarop de scores 50 punten of meer uiteenlopen. Vraag waar mensen aan dachten, niet wie wat antwoordde. Noteer per les wat goed gaat en wat beter kan.",
        "Afspreken (10 minuten): kies uit de groeipunten hoogstens drie acties en spreek per actie af wat, wie en vóór wanneer. Bij de volgende check vraagt Wijkkompas wat ervan terechtkwam.",
    ],
    tips_heading: "Tips voor wie het gesprek leidt",
    tips: [
        "Lees de stellingen hardop voor voor wie liever luistert dan leest.",
        "'Weet ik niet' is een goed antwoord; het telt niet mee in de score.",
        "Papieren formulieren voer je in bij dezelfde ronde; vink daarbij 'op papier ingevuld' aan.",
        "Blijf bij de cijfers van de groep: vraag niemand om eigen antwoorden te laten zien.",
    ],
    lessons: "De negen lessen",
    lesson: "Les",
    statements: "Stellingen en aantekeningen",
    statements_intro: "Per les de stellingen van de zelfcheck, met ruimte voor wat de groep opvalt.",
    good: "Wat gaat goed?",
    better: "Wat kan beter?",
    form: "Antwoordformulier",
    form_intro: "Kruis per stelling één vakje aan. Je naam hoeft niet op dit formulier. De gespreksleider voert je antwoorden later in Wijkkompas in.",
    initiative: "Initiatief:",
    i_am: "Ik ben:",
    scale: ["1 = helemaal oneens", "2 = oneens", "3 = neutraal", "4 = eens", "5 = helemaal eens", "? = weet ik niet / niet van toepassing"],
    source: "Bron van de lessen: Movisie, Wij in de Wijk (2019–2022), in onze eigen woorden. Gemaakt met Wijkkompas.",
};

const EN: Words = Words {
    title: "Wijkkompas · Facilitator's guide",
    subtitle: "A group conversation about your initiative, in 45 minutes",
    intro: "With the self-check a group looks at its initiative together, through nine lessons from Movisie's Wij in de Wijk project. First everyone answers the statements alone; then you discuss what stands out and agree on what you will do.",
    flow: "How the conversation goes",
    steps: [
        "Opening (5 minutes): say why you are doing this. There are no right or wrong answers. Nobody sees what another person answers; the group only sees figures of everyone together.",
        "Answering (15 minutes): everyone answers the statements, in turn at the computer (Self-check, 'Group session') or on the answer form at the back. Between two members the screen clears.",
        "Looking together (15 minutes): close the round. Start with 'To talk about': lessons where scores lie 50 points or more apart. Ask what people had in mind, not who answered what. Note per lesson what goes well and what could be better.",
        "Agreeing (10 minutes): choose at most three actions from the growth points and agree for each what, who and by when. At the next check Wijkkompas asks what came of them.",
    ],
    tips_heading: "Tips for whoever leads the conversation",
    tips: [
        "Read the statements aloud for those who prefer listening to reading.",
        "'Don't know' is a good answer; it does not count in the score.",
        "Enter paper forms in the same round, ticking 'answered on paper'.",
        "Keep to the group's figures: ask nobody to show their own answers.",
    ],
    lessons: "The nine lessons",
    lesson: "Lesson",
    statements: "Statements and notes",
    statements_intro: "The self-check's statements per lesson, with room for what strikes the group.",
    good: "What goes well?",
    better: "What could be better?",
    form: "Answer form",
    form_intro: "Tick one box per statement. Your name is not needed on this form. The facilitator enters your answers in Wijkkompas later.",
    initiative: "Initiative:",
    i_am: "I am:",
    scale: ["1 = strongly disagree", "2 = disagree", "3 = neutral", "4 = agree", "5 = strongly agree", "? = don't know / not applicable"],
    source: "Source of the lessons: Movisie, Wij in de Wijk (2019–2022), in our own words. Made with Wijkkompas.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The boxes of the answer form: 1 to 5 and "?".
const BOXES: [&str; 6] = ["1", "2", "3", "4", "5", "?"];
const BOX_STEP: f64 = 22.0;
const BOXES_X: f64 = W - MARGIN - BOX_STEP * 6.0 + 6.0;

impl Page {
    /// A statement with six boxes to tick on its first line.
    fn answer_row(&mut self, number: usize, text: &str) {
        let size = 9.5;
        let lines = wrap(text, size, BOXES_X - MARGIN - 28.0);
        self.room(lines.len() as f64 * size * 1.3 + 8.0);
        self.gap(6.0);
        // The number and the statement are one paragraph; the boxes are for a pen.
        let statement = self.group();
        for (i, line) in lines.iter().enumerate() {
            self.y += size * 1.3;
            if i == 0 {
                let svg = text_svg(MARGIN, self.y, &format!("{number}."), size, true, "#1a1a1a");
                self.draw_in(Piece::Paragraph, statement, svg);
                let mut boxes = String::new();
                for k in 0..BOXES.len() {
                    let x = BOXES_X + k as f64 * BOX_STEP;
                    let _ = write!(
                        boxes,
                        r##"<rect x="{x:.1}" y="{:.1}" width="11" height="11" fill="none" stroke="#1a1a1a" stroke-width="0.8"/>"##,
                        self.y - 9.5
                    );
                }
                self.draw(Piece::Artifact, boxes);
            }
            let svg = text_svg(MARGIN + 22.0, self.y, line, size, false, "#1a1a1a");
            self.draw_in(Piece::Paragraph, statement, svg);
        }
    }

    /// The labels above the boxes.
    fn box_labels(&mut self) {
        self.room(20.0);
        self.y += 14.0;
        // Decoration for a reader: the scale above the form says what the boxes mean.
        let mut labels = String::new();
        for (k, label) in BOXES.iter().enumerate() {
            let x = BOXES_X + k as f64 * BOX_STEP + 2.5;
            let _ = write!(
                labels,
                r##"<text x="{x:.1}" y="{:.1}" font-size="9" font-weight="bold" fill="#1a1a1a">{label}</text>"##,
                self.y
            );
        }
        self.draw(Piece::Artifact, labels);
    }
}

/// The guide and the answer form as A4 SVG pages.
pub(crate) fn guide_pages(lang: Lang) -> Vec<LaidPage> {
    let mut p = Page::new();
    p.footer(words(lang).source);
    how_it_goes(&mut p, lang);
    nine_lessons(&mut p, lang);
    p.new_page();
    statements_and_notes(&mut p, lang);
    p.new_page();
    answer_form(&mut p, lang);
    p.finish_all()
}

/// The title, what the session is, its four steps and tips for whoever leads it.
fn how_it_goes(p: &mut Page, lang: Lang) {
    let w = words(lang);
    p.title(1, w.title, 20.0, "#154273");
    p.text(w.subtitle, 12.0, false, "#4a4a4a");
    p.gap(6.0);
    p.text(w.intro, 10.0, false, "#1a1a1a");
    p.heading(w.flow);
    for step in w.steps {
        p.bullet(step, 10.0);
        p.gap(3.0);
    }
    p.heading(w.tips_heading);
    for tip in w.tips {
        p.bullet(tip, 10.0);
    }
}

/// The nine lessons in our words, by strategy.
fn nine_lessons(p: &mut Page, lang: Lang) {
    let w = words(lang);
    let cat = catalog();
    p.heading(w.lessons);
    for strategy in &cat.strategies {
        p.room(60.0);
        p.gap(6.0);
        p.title(3, strategy.name.get(lang), 11.5, "#154273");
        p.text(strategy.summary.get(lang), 9.5, false, "#4a4a4a");
        for lesson in cat.lessons.iter().filter(|l| l.strategy == strategy.id) {
            p.room(40.0);
            p.gap(3.0);
            p.text(
                &format!("{} {}: {}", w.lesson, lesson.id, lesson.title.get(lang)),
                10.0,
                true,
                "#1a1a1a",
            );
            p.text(lesson.summary.get(lang), 9.5, false, "#1a1a1a");
        }
    }
}

/// Per lesson its statements, with lines for what goes well and what could be better.
fn statements_and_notes(p: &mut Page, lang: Lang) {
    let w = words(lang);
    let cat = catalog();
    p.title(2, w.statements, 16.0, "#154273");
    p.text(w.statements_intro, 10.0, false, "#4a4a4a");
    let mut n = 0;
    for lesson in &cat.lessons {
        p.room(190.0);
        p.gap(10.0);
        p.title(
            3,
            &format!("{} {}: {}", w.lesson, lesson.id, lesson.title.get(lang)),
            11.0,
            "#154273",
        );
        for s in &lesson.statements {
            n += 1;
            p.bullet(&format!("{n}. {}", s.text.get(lang)), 9.5);
        }
        p.gap(4.0);
        p.text(w.good, 9.5, true, "#1a1a1a");
        p.lines(2);
        p.text(w.better, 9.5, true, "#1a1a1a");
        p.lines(2);
    }
}

/// The paper answer form: the initiative, the role, the scale, and a row of boxes per statement.
fn answer_form(p: &mut Page, lang: Lang) {
    let w = words(lang);
    let cat = catalog();
    p.title(2, w.form, 16.0, "#154273");
    p.text(w.form_intro, 10.0, false, "#1a1a1a");
    p.gap(8.0);
    p.text(w.initiative, 10.0, true, "#1a1a1a");
    p.lines(1);
    p.gap(6.0);
    let roles = [Role::Resident, Role::Professional, Role::Policy]
        .map(|r| format!("☐ {}", r.name(lang)))
        .join("    ");
    p.text(&format!("{}   {roles}", w.i_am), 10.0, false, "#1a1a1a");
    p.gap(6.0);
    p.text(&w.scale.join(" · "), 9.0, false, "#4a4a4a");
    let mut n = 0;
    for lesson in &cat.lessons {
        p.room(70.0);
        p.gap(8.0);
        p.title(3, lesson.title.get(lang), 10.5, "#154273");
        p.box_labels();
        for s in &lesson.statements {
            n += 1;
            p.answer_row(n, s.text.get(lang));
        }
    }
}

/// The guide and the answer form as one PDF.
pub fn guide_pdf(lang: Lang) -> Result<Vec<u8>, ReportError> {
    pages_to_pdf(&guide_pages(lang), words(lang).title, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::layout::esc;

    #[test]
    fn the_guide_has_every_lesson_and_statement_and_a_box_per_answer() {
        for lang in [Lang::Nl, Lang::En] {
            let pages: Vec<String> = guide_pages(lang).iter().map(LaidPage::svg).collect();
            assert!(pages.len() >= 3, "{lang:?}: {} pages", pages.len());
            let all = pages.join("");
            let cat = catalog();
            for l in &cat.lessons {
                // Titles can wrap; their first words are on one line.
                let start: String = l
                    .title
                    .get(lang)
                    .split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(all.contains(&esc(&start)), "{lang:?}: {start}");
            }
            let statements = cat.statements().count();
            assert_eq!(
                all.matches(r#"width="11" height="11""#).count(),
                statements * 6,
                "{lang:?}: six boxes per statement"
            );
            assert!(pages.iter().all(|p| p.starts_with("<svg")
                && p.ends_with("</svg>")
                && p.contains(&esc(words(lang).source))));
            let y_of_text = |p: &str| p.match_indices("<text").count();
            assert!(pages.iter().all(|p| y_of_text(p) > 5));
        }
    }

    #[test]
    fn no_text_runs_below_the_footer() {
        for page in guide_pages(Lang::Nl).iter().map(LaidPage::svg) {
            for part in page.split(" y=\"").skip(1) {
                let y: f64 = part[..part.find('"').unwrap()].parse().unwrap();
                assert!(y <= super::super::paper::H - 20.0, "text at y = {y}");
            }
        }
    }
}
