package web

import "net/http"

// Question is the data of the generic question page (question.html): a caption above the heading, a warning,
// paragraphs before the fields, and whether the page has a heading of its own (a page of several fields; a
// page of one has its question as its heading).
type Question struct {
	Caption, Warning string
	Intro            []string
	Heading          bool
	NoContinue       bool // the journey ends here (e.g. not eligible): no button
}

// Ask renders the question page of fields with the answers and the errors err holds for them (422 when there
// are any, so a test or a tool sees the form was refused).
func (r *Request) Ask(titleKey string, fields []Field, answers map[string][]string, err error, q Question, back string) (Response, error) {
	form := BuildForm(r, fields, answers, err)
	q.Heading = len(fields) != 1
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	p := r.Page(titleKey, form, q)
	p.Back = back
	if q.Heading {
		p.Title = r.T(titleKey)
	} else {
		p.Title = form.Fields[0].Label
	}
	return r.RenderPage(status, "question", p)
}
