//! Regions of interest: named rectangles, each belonging to a person
//! (`client.head`, `client.body`, `therapist.head` ...), so that a person's
//! motion energy is the sum of their regions.

use crate::VideoError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roi {
    /// Unique: `client.head`.
    pub name: String,
    /// The part before the dot (`client`), or the whole name.
    pub person: String,
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

impl Roi {
    /// Parses `NAME=x,y,w,h` (pixels, origin top left).
    pub fn parse(spec: &str) -> Result<Roi, VideoError> {
        let bad = |message: &str| VideoError::Roi {
            name: spec.chars().take(60).collect(),
            message: message.to_owned(),
        };
        let (name, rect) = spec
            .split_once('=')
            .ok_or_else(|| bad("expected NAME=x,y,w,h"))?;
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Err(bad("the name may use letters, digits, '.', '_' and '-'"));
        }
        let numbers: Vec<usize> = rect
            .split(',')
            .map(|n| n.trim().parse::<usize>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("x, y, width and height must be whole numbers of pixels"))?;
        let [x, y, width, height] = numbers[..] else {
            return Err(bad("expected four numbers: x,y,w,h"));
        };
        if width == 0 || height == 0 {
            return Err(bad("width and height must be at least 1"));
        }
        Ok(Roi {
            person: name.split('.').next().unwrap_or(name).to_owned(),
            name: name.to_owned(),
            x,
            y,
            width,
            height,
        })
    }

    pub fn area(&self) -> usize {
        self.width * self.height
    }

    /// Refuses a region that is not wholly inside a `width` × `height` frame.
    pub fn check_inside(&self, width: usize, height: usize) -> Result<(), VideoError> {
        if self.x + self.width > width || self.y + self.height > height {
            return Err(VideoError::Roi {
                name: self.name.clone(),
                message: format!(
                    "{},{} {}x{} reaches outside the {width}x{height} frame",
                    self.x, self.y, self.width, self.height
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_people_and_rectangles() {
        let r = Roi::parse("client.head=10, 20,30,40").unwrap();
        assert_eq!(
            (r.person.as_str(), r.x, r.y, r.width, r.height),
            ("client", 10, 20, 30, 40)
        );
        assert_eq!(Roi::parse("left=0,0,1,1").unwrap().person, "left");
        for bad in [
            "nohead",
            "a=1,2,3",
            "a=1,2,3,x",
            "a=-1,0,2,2",
            "a=0,0,0,5",
            "=0,0,1,1",
            "a b=0,0,1,1",
        ] {
            assert!(Roi::parse(bad).is_err(), "{bad}");
        }
        let outside = Roi::parse("c=600,0,50,10").unwrap().check_inside(640, 480);
        assert!(
            outside
                .unwrap_err()
                .to_string()
                .contains("outside the 640x480 frame")
        );
    }
}
