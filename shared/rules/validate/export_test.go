package validate

// For the differential test (package validate_test, which imports the request types that import this package).
var (
	UKPhone    = ukPhone.get
	SplitOneOf = splitOneOf
)
